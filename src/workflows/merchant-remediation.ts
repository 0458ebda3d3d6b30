import { ApplicationFailure, ContinueAsNew, allHandlersFinished, condition, continueAsNew, isCancellation, patched, setHandler, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { AddWorkRequest } from '../domain/added-work';
import { FailureType } from '../domain/failure-types';
import { AUTO_FILES, parseRemediationInput, parseRemediationWork, type RemediationInput } from '../domain/remediation-input';
import { PHASE_DESCRIPTIONS, type RemediationStatus, type TerminalPhase } from '../domain/remediation-status';
import { remediationActivities } from './activity-proxies';
import { doAddedWork } from './added-work-step';
import {
  addWorkUpdate,
  HANDLER_DESCRIPTIONS,
  markResolvedUpdate,
  moovChangedSignal,
  replaceActiveLinkSignal,
  replaceActiveLinkUpdate,
  statusQuery,
  type MarkResolvedRequest,
  type ReplaceActiveLinkRequest,
} from './definitions';
import { shareConnectionStep } from './connection-step';
import { followThrough, type FollowThroughResume } from './follow-through-step';
import { uploadCatalogFiles } from './catalog-files-step';
import { uploadRequiredFiles } from './file-upload-step';
import { FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS, resolveOptions } from './options';
import { MoovNews } from './moov-news';
import { PATCHES } from './patches';
import { updatePaymentLinksStep } from './payment-links-step';
import { OperatorRequests } from './operator-requests';
import { ensureResolutionLink } from './resolution-link-step';
import { recordOutcome } from './outcome-metrics';
import { formatDuration } from './retries-exhausted';
import { StatusTracker } from './status-tracker';
import type { StepContext } from './step-context';
import { versioningOptions } from './versioning-behaviors';
import { WorkInbox, type CarriedWork } from './work-inbox';

/**
 * Clears a merchant's Moov verification requirements: upload the files the partner holds, share
 * the account connection, update payment links, send the merchant a resolution link.
 */
/** What a run hands to the next when follow-through continues as new (docs/deploying.md). */
export interface CarriedRemediation {
  status: RemediationStatus;
  followThrough: FollowThroughResume;
  /** Work added by the addWork update (absent before it existed, or when none was added). */
  work?: CarriedWork;
  /** Recent Moov eventIDs, so a webhook delivered again after continue-as-new still counts once. */
  eventIDs?: string[];
}

// Under Worker Versioning: moves to the current build (no command, so replay is unchanged).
setWorkflowOptions(versioningOptions('merchantRemediation'), merchantRemediation);

export async function merchantRemediation(rawInput: RemediationInput, carried?: CarriedRemediation): Promise<RemediationStatus> {
  const parsed = parseRemediationInput(rawInput);
  if (!parsed.ok) {
    recordOutcome('failed');
    throw ApplicationFailure.create({ type: FailureType.InvalidInput, nonRetryable: true, message: parsed.message });
  }
  const input = parsed.input;
  const options = patched(PATCHES.pollIsSafetyNet) ? resolveOptions(input.options) : resolveOptions(input.options, FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS);
  const tracker = new StatusTracker(input.accountID, carried?.status);
  const activities = remediationActivities(options.stepRetryTimeoutMs, {
    onDurableWait: (wait) =>
      tracker.describeWait(
        wait
          ? `Moov asked to wait ${formatDuration(wait.waitMs)} before ${wait.operation} (rate limit); next attempt at ${wait.until.toISOString()}`
          : PHASE_DESCRIPTIONS[tracker.current.phase],
      ),
    onOutage: (call, outage) => tracker.moovOutage(call, outage),
    maxOutageWaitMs: options.maxOutageWaitMs,
  });
  const operator = new OperatorRequests();
  const inbox = new WorkInbox(input, carried?.work);
  const news = new MoovNews(carried?.eventIDs);

  setHandler(statusQuery, () => tracker.snapshot(), { description: HANDLER_DESCRIPTIONS.status });
  setHandler(
    replaceActiveLinkUpdate,
    async ({ reason }) => {
      const request = operator.requestReplace(reason);
      await condition(() => request.settled);
      return { disabledLinkCode: request.disabledLinkCode ?? '' };
    },
    {
      description: HANDLER_DESCRIPTIONS.replaceActiveLink,
      validator: (_request: ReplaceActiveLinkRequest) => {
        if (tracker.stepPhase !== 'waiting-for-active-link') {
          throw new Error(`Nothing to replace: the remediation is ${tracker.current.phase}, not waiting for an active link`);
        }
      },
    },
  );
  setHandler(
    replaceActiveLinkSignal,
    ({ reason } = {}) => {
      if (tracker.stepPhase === 'waiting-for-active-link') operator.requestReplace(reason);
    },
    { description: HANDLER_DESCRIPTIONS.replaceActiveLinkSignal },
  );
  setHandler(
    addWorkUpdate,
    ({ work }) => {
      // The validator parsed it already; parsing again gives the typed, normalised items.
      const parsedWork = parseRemediationWork(work, input.accountID);
      return { items: parsedWork.ok ? inbox.offer(parsedWork.work) : [] };
    },
    {
      description: HANDLER_DESCRIPTIONS.addWork,
      validator: ({ work }: AddWorkRequest) => {
        // A finished remediation closes in a moment: the caller starts the account's next one (startRemediation retries).
        if (tracker.current.finishedAt !== undefined) {
          throw ApplicationFailure.create({ type: FailureType.RemediationFinished, nonRetryable: true, message: `The remediation has ended (${tracker.current.phase}); start a new one` });
        }
        const parsedWork = parseRemediationWork(work, input.accountID);
        if (!parsedWork.ok) throw ApplicationFailure.create({ type: FailureType.InvalidInput, nonRetryable: true, message: parsedWork.message });
      },
    },
  );
  setHandler(moovChangedSignal, (notice) => news.receive(notice), { description: HANDLER_DESCRIPTIONS.moovChanged });
  setHandler(
    markResolvedUpdate,
    async (request) => {
      operator.markResolved(request);
      // Answer with the final status: the outcome is recorded and the phase is terminal.
      await condition(() => tracker.current.finishedAt !== undefined);
      return tracker.snapshot();
    },
    {
      description: HANDLER_DESCRIPTIONS.markResolved,
      validator: (_request: MarkResolvedRequest) => {
        if (tracker.stepPhase !== 'awaiting-merchant') {
          throw new Error(`Nothing to mark resolved: the remediation is ${tracker.current.phase}, not awaiting the merchant`);
        }
      },
    },
  );
  const ctx: StepContext = {
    activities,
    accountID: input.accountID,
    options,
    tracker,
    operator,
    inbox,
    news,
    doAddedWork: () => doAddedWork(ctx),
    startedAtMs: workflowInfo().startTime.getTime(),
  };

  // Work added while a step runs is taken on after it (no command when there is none).
  const runSteps = async () => {
    // files "auto" is new input (older inputs could not hold it); its one new activity is still behind a patch.
    // The link is then sent only for requirements no catalog document covers.
    let linkNeeded = true;
    if (input.files === AUTO_FILES) {
      if (patched(PATCHES.autoFiles)) linkNeeded = (await uploadCatalogFiles(ctx, input.options?.select)).some((entry) => entry.coveredBy === 'link');
    } else if (input.files?.length) await uploadRequiredFiles(ctx, input.files);
    await ctx.doAddedWork();
    // The connection and payment links do not depend on the link: since PATCHES.linkStepLast they come
    // first, so another party's active link (a wait of up to 30 days) holds back only the link.
    const linkStepLast = patched(PATCHES.linkStepLast);
    if (linkStepLast) await otherSteps();
    if (input.resolutionLink && linkNeeded) await ensureResolutionLink(ctx, input.resolutionLink.recipient);
    await ctx.doAddedWork();
    if (!linkStepLast) await otherSteps();
  };
  const otherSteps = async () => {
    if (input.connection) await shareConnectionStep(ctx, input.connection);
    await ctx.doAddedWork();
    if (input.paymentLinks?.length) await updatePaymentLinksStep(ctx, input.paymentLinks);
    await ctx.doAddedWork();
  };

  try {
    // A continued run is past the steps: it goes on with follow-through.
    if (!carried) await runSteps();
    let finalPhase: TerminalPhase = 'completed';
    if (options.followThrough) {
      const outcome = await followThrough(ctx, {
        recipient: () => inbox.linkRecipient(),
        ...(carried && { resume: carried.followThrough }),
      });
      if ('continueAsNew' in outcome) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof merchantRemediation>(rawInput, {
          status: tracker.snapshot(),
          followThrough: outcome.continueAsNew,
          ...(inbox.hasAny() && { work: inbox.carry() }),
          ...(news.hasAny() && { eventIDs: news.carry() }),
        });
      }
      tracker.followThroughEnded(outcome);
      finalPhase = outcome.result;
    }
    // Accepted work is never dropped: what came during the last check is done before the end.
    await ctx.doAddedWork();
    tracker.finish(finalPhase);
    // Let update callers (markResolved) receive their answer before the run closes.
    await condition(allHandlersFinished);
    return tracker.snapshot();
  } catch (err) {
    // continueAsNew() ends this run by throwing: the remediation goes on in the next one.
    if (err instanceof ContinueAsNew) throw err;
    tracker.failed(err, isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  }
}

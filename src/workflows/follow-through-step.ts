import { condition, patched, sleep, workflowInfo } from '@temporalio/workflow';
import { openRequirements } from '../domain/open-requirements';
import { effectiveLinkStatus } from '../domain/resolution-link-status';
import type { RequirementsSummary } from '../domain/activity-contracts';
import type { FollowThroughProgress } from '../domain/remediation-status';
import type { Recipient } from '../domain/remediation-input';
import { ensureResolutionLink } from './resolution-link-step';
import { PATCHES } from './patches';
import type { StepContext } from './step-context';
import type { StatusTracker } from './status-tracker';

/** Link states in which the merchant can no longer use it. */
const DEAD_LINK_STATUSES = new Set(['expired', 'disabled']);

export interface FollowThroughInput {
  /** Present when a resolution link is part of this remediation (and may be sent afresh); read at each check, since added work may bring one. */
  recipient: () => Recipient | undefined;
  /** Set when a previous run continued as new in the middle of follow-through: go on from there. */
  resume?: FollowThroughResume;
}

/** What follow-through hands to the next run when it continues as new. */
export interface FollowThroughResume {
  /** When follow-through gives up (maxFollowThrough from its first check, not from this run). */
  giveUpAt: number;
}

/**
 * A run continues as new once its history is this long, carrying its state (Temporal's limit is
 * 51,200 events; docs.temporal.io/workflow-execution/limits). A check costs about 20 events, so a
 * run holds some 120 checks: 30 days of follow-through at the default 6-hour poll.
 */
export const FOLLOW_THROUGH_EVENTS_PER_RUN = 2_500;

/**
 * A webhook wakes follow-through at once, but a burst (Moov sends one capability.updated per
 * capability a review touches) costs one more look, this long after the previous one: the
 * history and Moov's rate limit grow with looks, not with deliveries.
 */
export const NEWS_CHECK_MIN_GAP_MS = 5_000;

export type FollowThroughEnding = (FollowThroughProgress['outcome'] & object) | { continueAsNew: FollowThroughResume };

/**
 * Watches Moov after the steps until the outcome is known: requirement errors gone (resolved),
 * the merchant's link dead with requirements left (send a fresh one, within budget), or the
 * time limit reached (unresolved). Rejected files are recorded with Moov's reason.
 */
export async function followThrough(ctx: StepContext, { recipient, resume }: FollowThroughInput): Promise<FollowThroughEnding> {
  const { activities, accountID, tracker, options, operator } = ctx;
  tracker.followThroughStarted();
  const progress = (): Readonly<FollowThroughProgress> => tracker.current.followThrough!;
  const giveUpAt = resume?.giveUpAt ?? Date.now() + options.maxFollowThroughMs;
  for (;;) {
    tracker.setPhase('awaiting-merchant');
    const checkedAt = Date.now();
    const requirements = await activities.readRequirements({ accountID });
    recordRequirements(tracker, requirements);
    await recordFileReviews(ctx);
    // An operator's markResolved, accepted while Moov was being read, comes before any write.
    const operatorFirst = patched(PATCHES.operatorDecisionFirst);
    if (operatorFirst && operator.markResolvedRequest()) return resolvedByOperator(ctx);
    if (patched(PATCHES.resolvedMeansNothingOpen)) {
      if (openRequirements(requirements, options.select).length === 0) {
        return { result: 'resolved', by: 'moov', reasons: ['Moov reports none of the selected requirements open (errors, items currently due)'] };
      }
    } else if (requirements.errors.length === 0) {
      return { result: 'resolved', by: 'moov', reasons: ['Moov reports no requirement errors'] };
    }

    const link = tracker.current.resolutionLink;
    const linkRecipient = recipient();
    if (linkRecipient && link) {
      const lookup = await activities.getResolutionLink({ accountID, code: link.code });
      // Gone (404) is as dead as disabled.
      const status = lookup.link ? effectiveLinkStatus(lookup.link, Date.now()) : 'disabled';
      tracker.resolutionLinkStatus(status);
      if (operatorFirst && operator.markResolvedRequest()) return resolvedByOperator(ctx);
      if (DEAD_LINK_STATUSES.has(status)) {
        const sent = progress().freshLinksSent;
        if (sent >= options.maxFreshLinks) {
          return unresolved(progress(), `the merchant's link ${status} ${sent + 1} time(s); fresh-link budget (${options.maxFreshLinks}) spent`);
        }
        tracker.freshLinkSent();
        await ensureResolutionLink(ctx, linkRecipient);
        continue;
      }
    }

    const now = Date.now();
    if (now >= giveUpAt) return unresolved(progress(), `requirements still open after the follow-through limit (${options.maxFollowThroughMs} ms)`);
    const nextCheckAt = new Date(Math.min(now + options.followThroughPollIntervalMs, giveUpAt));
    tracker.nextFollowThroughCheck(nextCheckAt.toISOString());
    tracker.describeWait(`Waiting for the merchant; next check of Moov at ${nextCheckAt.toISOString()}`);
    const summary = `wait for the merchant until the next check of Moov at ${nextCheckAt.toISOString()}, or Moov's webhook`;
    const listens = patched(PATCHES.remediationsListen);
    const woke = await condition(
      () => operator.markResolvedRequest() !== undefined || (listens && (ctx.inbox.hasPending() || ctx.news.hasUnread())),
      nextCheckAt.getTime() - now,
      { summary: listens ? summary : `wait for the merchant until the next check of Moov at ${nextCheckAt.toISOString()}` },
    );
    if (woke && operator.markResolvedRequest()) return resolvedByOperator(ctx);
    if (listens) {
      // Back to work for what the backend added, then a look at Moov (the added files may be what it waited for).
      const added = ctx.inbox.hasPending();
      await ctx.doAddedWork();
      let wokenBy = added ? 'work added to the remediation' : undefined;
      if (ctx.news.hasUnread()) {
        wokenBy = ctx.news.markRead();
        const gapLeft = checkedAt + NEWS_CHECK_MIN_GAP_MS - Date.now();
        tracker.describeWait(`${wokenBy} arrived: checking Moov now`);
        if (gapLeft > 0) await sleep(gapLeft, { summary: `coalesce ${wokenBy} with the last check of Moov` });
      }
      tracker.followThroughWoken(wokenBy);
    }
    // Between two checks, with nothing in flight: the cheapest moment to start a fresh history.
    if ((workflowInfo().historyLength >= FOLLOW_THROUGH_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) && patched(PATCHES.followThroughContinuesAsNew)) {
      return { continueAsNew: { giveUpAt } };
    }
  }
}

function resolvedByOperator(ctx: StepContext) {
  const note = ctx.operator.markResolvedRequest()?.note;
  return { result: 'resolved' as const, by: 'operator' as const, reasons: ['marked resolved by an operator'], ...(note !== undefined && { note }) };
}

function recordRequirements(tracker: StatusTracker, requirements: RequirementsSummary): void {
  tracker.followThroughChecked({
    lastCheckedAt: new Date().toISOString(),
    requirementErrors: requirements.errors.map((e) => `${e.capability}: ${e.requirement}${e.errorCode !== undefined ? ` (${e.errorCode})` : ''}`),
    currentlyDue: requirements.currentlyDue.map((d) => `${d.capability}: ${d.requirement}`),
  });
}

async function recordFileReviews({ activities, accountID, tracker }: StepContext): Promise<void> {
  const fileIDs = tracker.current.files.flatMap((file) => (file.fileID ? [file.fileID] : []));
  if (fileIDs.length === 0) return;
  const reviews = await activities.checkFileReviews({ accountID, fileIDs });
  for (const review of reviews.files) tracker.fileReviewed(review.fileID, review.fileStatus, review.decisionReason);
}

function unresolved(progress: Readonly<FollowThroughProgress>, reason: string) {
  const reasons = [reason, ...progress.requirementErrors.map((e) => `open requirement: ${e}`), ...progress.currentlyDue.map((d) => `currently due: ${d}`)];
  return { result: 'unresolved' as const, by: 'moov' as const, reasons };
}

import {
  ApplicationFailure,
  ParentClosePolicy,
  continueAsNew,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ConnectedAccount, RequirementsSummary } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import { openRequirements } from '../domain/open-requirements';
import { parseRemediationInput, type RemediationInput } from '../domain/remediation-input';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE } from '../domain/search-attributes';
import {
  MAX_LISTED_CANDIDATES,
  parseSweepInput,
  type SkipReason,
  type SweepCursor,
  type SweepInput,
  type SweepSummary,
} from '../domain/sweep-input';
import { remediationWorkflowId } from '../domain/workflow-ids';
import { remediationActivities } from './activity-proxies';
import { mapBounded } from './bounded-parallel';
import { merchantRemediation } from './merchant-remediation';

const DEFAULTS = { pageSize: 100, concurrency: 10, pagesPerRun: 5 };
const SWEEP_STEP_TIMEOUT_MS = 60 * 60 * 1000;

type Decision =
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'remediate'; input: RemediationInput; reasons: string[] };

/**
 * Finds merchants stuck in verification and starts a remediation for each, never a second one
 * for an account that has one running (the workflow id is the account's). Pages through the
 * connected accounts, continuing as new every few pages so that history stays small.
 */
export async function remediationSweep(rawInput: SweepInput = {}, cursor?: SweepCursor): Promise<SweepSummary> {
  const parsed = parseSweepInput(rawInput);
  if (!parsed.ok) throw ApplicationFailure.create({ type: FailureType.InvalidInput, nonRetryable: true, message: parsed.message });
  const input = parsed.input;
  const pageSize = input.pageSize ?? DEFAULTS.pageSize;
  const activities = remediationActivities(SWEEP_STEP_TIMEOUT_MS);
  const state: SweepCursor = cursor ?? {
    skip: 0,
    pages: 0,
    runs: 0,
    totals: { scanned: 0, selected: 0, started: 0, alreadyRunning: 0, skipped: {} },
    wouldStart: [],
  };
  state.runs += 1;

  for (let pageInRun = 0; pageInRun < (input.pagesPerRun ?? DEFAULTS.pagesPerRun); pageInRun++) {
    const page = await activities.listConnectedAccounts({
      skip: state.skip,
      count: pageSize,
      ...(input.filters?.capability !== undefined && { capability: input.filters.capability }),
      ...(input.filters?.capabilityStatus !== undefined && { capabilityStatus: input.filters.capabilityStatus }),
    });
    state.pages += 1;
    state.skip += page.accounts.length;
    await mapBounded(page.accounts, input.concurrency ?? DEFAULTS.concurrency, (account) => handleAccount(account, input, state));
    if (page.accounts.length < pageSize) return summarize(input, state);
  }
  // More pages remain: a fresh run carries the cursor and the totals so far.
  return continueAsNew<typeof remediationSweep>(rawInput, state);

  async function handleAccount(account: ConnectedAccount, sweep: SweepInput, progress: SweepCursor): Promise<void> {
    progress.totals.scanned += 1;
    const requirements = await activities.readRequirements({ accountID: account.accountID });
    const decision = decide(account, requirements, sweep);
    if (decision.kind === 'skip') {
      progress.totals.skipped[decision.reason] = (progress.totals.skipped[decision.reason] ?? 0) + 1;
      return;
    }
    progress.totals.selected += 1;
    if (sweep.dryRun) {
      if (progress.wouldStart.length < MAX_LISTED_CANDIDATES) progress.wouldStart.push({ accountID: account.accountID, reasons: decision.reasons });
      return;
    }
    try {
      await startChild(merchantRemediation, {
        workflowId: remediationWorkflowId(account.accountID),
        args: [decision.input],
        // Remediations run for days; they must outlive the sweep run that started them.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: MOOV_ACCOUNT_ID, value: account.accountID },
          { key: REMEDIATION_PHASE, value: 'starting' },
        ],
        staticSummary: `Moov remediation for account ${account.accountID} (started by sweep ${workflowInfo().workflowId})`,
      });
      progress.totals.started += 1;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      progress.totals.alreadyRunning += 1;
    }
  }
}

function decide(account: ConnectedAccount, requirements: RequirementsSummary, sweep: SweepInput): Decision {
  const reasons = openRequirements(requirements, sweep.select);
  if (reasons.length === 0) return { kind: 'skip', reason: 'no-open-requirements' };

  const recipient = account.email ? { email: account.email } : account.phone ? { phone: account.phone } : undefined;
  const sendLink = sweep.remediation?.sendResolutionLink ?? true;
  const input: RemediationInput = {
    accountID: account.accountID,
    ...(sendLink && recipient && { resolutionLink: { recipient } }),
    ...(sweep.remediation?.connection && { connection: sweep.remediation.connection }),
    // Resolved means what selected the account: the remediation follows the sweep's selection.
    ...((sweep.remediation?.options || sweep.select) && { options: { ...sweep.remediation?.options, ...(sweep.select && { select: sweep.select }) } }),
  };
  if (!input.resolutionLink && !input.connection) return { kind: 'skip', reason: 'no-contact' };
  // The profile's contact may not fit Moov's link limits (e.g. a long phone number).
  if (!parseRemediationInput(input).ok) return { kind: 'skip', reason: 'invalid-contact' };
  return { kind: 'remediate', input, reasons };
}

function summarize(input: SweepInput, state: SweepCursor): SweepSummary {
  return {
    ...state.totals,
    dryRun: input.dryRun ?? false,
    pages: state.pages,
    runs: state.runs,
    ...(input.dryRun && { wouldStart: state.wouldStart }),
  };
}

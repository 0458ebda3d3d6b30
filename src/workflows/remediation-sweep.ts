import { ApplicationFailure, continueAsNew, metricMeter, patched, setWorkflowOptions, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ConnectedAccount, RequirementsSummary } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import {
  MAX_LISTED_CANDIDATES,
  parseSweepInput,
  type SkipReason,
  type SweepCursor,
  type SweepInput,
  type SweepSummary,
} from '../domain/sweep-input';
import { closedRecently, decide, refusedByMoov, remediationChildOptions } from './account-decision';
import { remediationActivities } from './activity-proxies';
import { mapBounded } from './bounded-parallel';
import { merchantRemediation } from './merchant-remediation';
import { PATCHES } from './patches';
import { versioningOptions } from './versioning-behaviors';
import { METRICS } from '../domain/metric-names';

const DEFAULTS = { pageSize: 100, concurrency: 10, pagesPerRun: 5 };
const SWEEP_STEP_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * A run continues as new before its history could pass this many events, whatever pageSize ×
 * pagesPerRun asks (Temporal ends a run at 51,200 events: docs.temporal.io/workflow-execution/
 * limits). An account costs at most ACCOUNT_EVENTS: the requirements read, the cooldown look,
 * the child start, and their workflow tasks.
 */
const MAX_EVENTS_PER_RUN = 9_000;
const ACCOUNT_EVENTS = 15;

// Under Worker Versioning: stays on the build it started on (no command, so replay is unchanged).
setWorkflowOptions(versioningOptions('remediationSweep'), remediationSweep);

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
  // A sweep does not sleep for hours on a long wait hint, nor park past an hour for an outage
  // (its Schedule skips ticks while it runs): it fails, and its Schedule runs the next one.
  const activities = remediationActivities(SWEEP_STEP_TIMEOUT_MS, { durableWaitHints: false, maxOutageWaitMs: SWEEP_STEP_TIMEOUT_MS, urgency: 'bulk' });
  const state: SweepCursor = cursor ?? {
    skip: 0,
    pages: 0,
    runs: 0,
    totals: { scanned: 0, selected: 0, started: 0, alreadyRunning: 0, skipped: {} },
    wouldStart: [],
  };
  state.runs += 1;
  let startsReserved = state.totals.started;
  /** Accounts of this run left unhandled because maxStartsPerRun was reached: the sweep stops after the page. */
  let deferred = 0;

  const fleetSafe = patched(PATCHES.sweepFleetSafe);
  for (let pageInRun = 0; pageInRun < (input.pagesPerRun ?? DEFAULTS.pagesPerRun); pageInRun++) {
    if (fleetSafe && pageInRun > 0 && workflowInfo().historyLength + pageSize * ACCOUNT_EVENTS > MAX_EVENTS_PER_RUN) break;
    const page = await activities.listConnectedAccounts({
      skip: state.skip,
      count: pageSize,
      ...(input.filters?.capability !== undefined && { capability: input.filters.capability }),
      ...(input.filters?.capabilityStatus !== undefined && { capabilityStatus: input.filters.capabilityStatus }),
    });
    state.pages += 1;
    state.skip += page.accounts.length;
    await mapBounded(page.accounts, input.concurrency ?? DEFAULTS.concurrency, (account) => handleAccount(account, input, state));
    if (fleetSafe) {
      // Moov may answer fewer than `count` before the end: only an empty page is the end.
      if (page.accounts.length === 0) return summarize(input, state);
      if (deferred > 0 || startLimitReached(input)) return summarize(input, state, 'max-starts');
    } else if (page.accounts.length < pageSize) {
      return summarize(input, state);
    }
  }
  // More pages remain: a fresh run carries the cursor and the totals so far.
  return continueAsNew<typeof remediationSweep>(rawInput, state);

  async function handleAccount(account: ConnectedAccount, sweep: SweepInput, progress: SweepCursor): Promise<void> {
    // Accounts of the page still being handled when the bound was reached are left for the next sweep.
    if (fleetSafe && startLimitReached(sweep)) {
      deferred += 1;
      return;
    }
    progress.totals.scanned += 1;
    let requirements: RequirementsSummary;
    try {
      requirements = await activities.readRequirements({ accountID: account.accountID });
    } catch (err) {
      if (!fleetSafe || !refusedByMoov(err)) throw err;
      return skip(progress, 'refused');
    }
    const decision = decide(account, requirements, sweep);
    if (decision.kind === 'skip') return skip(progress, decision.reason);
    if (fleetSafe && (await closedRecently(activities, account.accountID, sweep))) return skip(progress, 'recently-closed');
    if (fleetSafe && startLimitReached(sweep)) {
      deferred += 1;
      return;
    }
    progress.totals.selected += 1;
    if (sweep.dryRun) {
      if (progress.wouldStart.length < MAX_LISTED_CANDIDATES) progress.wouldStart.push({ accountID: account.accountID, reasons: decision.reasons });
      return;
    }
    startsReserved += 1;
    try {
      await startChild(merchantRemediation, remediationChildOptions(decision.input, `sweep ${workflowInfo().workflowId}`));
      progress.totals.started += 1;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      progress.totals.alreadyRunning += 1;
      startsReserved -= 1;
    }
  }

  /** maxStartsPerRun: starts are reserved before startChild, since accounts are handled concurrently. */
  function startLimitReached(sweep: SweepInput): boolean {
    return !sweep.dryRun && sweep.maxStartsPerRun !== undefined && startsReserved >= sweep.maxStartsPerRun;
  }
}

function skip(progress: SweepCursor, reason: SkipReason): void {
  progress.totals.skipped[reason] = (progress.totals.skipped[reason] ?? 0) + 1;
  metricMeter.createCounter(METRICS.sweepSkips, undefined, 'Accounts a sweep did not remediate, by reason').add(1, { reason });
}

function summarize(input: SweepInput, state: SweepCursor, stoppedAt?: SweepSummary['stoppedAt']): SweepSummary {
  return {
    ...state.totals,
    dryRun: input.dryRun ?? false,
    ...(stoppedAt && { stoppedAt }),
    pages: state.pages,
    runs: state.runs,
    ...(input.dryRun && { wouldStart: state.wouldStart }),
  };
}

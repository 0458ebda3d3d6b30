import { ApplicationFailure, setWorkflowOptions, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ConnectedAccount, RequirementsSummary } from '../domain/activity-contracts';
import { parseAccountEventTriageInput, type AccountEventTriageInput, type AccountEventTriageResult } from '../domain/account-event-triage';
import { FailureType } from '../domain/failure-types';
import { openRequirements } from '../domain/open-requirements';
import type { SkipReason } from '../domain/sweep-input';
import { remediationWorkflowId } from '../domain/workflow-ids';
import { closedRecently, decide, refusedByMoov, remediationChildOptions } from './account-decision';
import { remediationActivities } from './activity-proxies';
import { merchantRemediation } from './merchant-remediation';
import { versioningOptions } from './versioning-behaviors';

/**
 * How long one Moov call of a triage may keep being retried. A webhook asks for a prompt look; a
 * triage that cannot reach Moov for this long fails, and the next event or sweep looks again.
 */
const TRIAGE_STEP_TIMEOUT_MS = 10 * 60 * 1000;

// Under Worker Versioning: a triage lasts seconds, so it finishes on the build it started on.
setWorkflowOptions(versioningOptions('accountEventTriage'), accountEventTriage);

/**
 * A Moov webhook named an account that has no running remediation (src/webhooks, with
 * WEBHOOK_AUTOSTART=true): read the account at Moov and decide as a sweep decides for one account
 * (src/workflows/account-decision.ts), then start its remediation as a child that outlives the
 * triage. The receiver starts it as `account-event-<accountID>` with USE_EXISTING, so a burst of
 * events for one account is one triage.
 */
export async function accountEventTriage(rawInput: AccountEventTriageInput): Promise<AccountEventTriageResult> {
  const parsed = parseAccountEventTriageInput(rawInput);
  if (!parsed.ok) throw ApplicationFailure.create({ type: FailureType.InvalidInput, nonRetryable: true, message: parsed.message });
  const { accountID, template = {} } = parsed.input;
  // No durable waits on Moov's long wait hints: the triage fails, and the sweep is the backstop.
  const activities = remediationActivities(TRIAGE_STEP_TIMEOUT_MS, { durableWaitHints: false, maxOutageWaitMs: TRIAGE_STEP_TIMEOUT_MS, urgency: 'bulk' });
  const skipped = (reason: SkipReason): AccountEventTriageResult => ({ outcome: 'skipped', reason });

  let requirements: RequirementsSummary;
  let account: ConnectedAccount;
  try {
    requirements = await activities.readRequirements({ accountID });
    // Most events are about accounts with nothing open: the profile is read only when it matters.
    if (openRequirements(requirements, template.select).length === 0) return skipped('no-open-requirements');
    account = await activities.readAccount({ accountID });
  } catch (err) {
    if (refusedByMoov(err)) return skipped('refused');
    throw err;
  }
  const decision = decide(account, requirements, template);
  if (decision.kind === 'skip') return skipped(decision.reason);
  if (await closedRecently(activities, accountID, template)) return skipped('recently-closed');

  const workflowId = remediationWorkflowId(accountID);
  try {
    await startChild(merchantRemediation, remediationChildOptions(decision.input, `account event triage ${workflowInfo().workflowId}`));
    return { outcome: 'started', workflowId, reasons: decision.reasons };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { outcome: 'already-running', workflowId };
  }
}

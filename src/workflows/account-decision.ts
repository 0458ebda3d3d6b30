import { ActivityFailure, ApplicationFailure, ParentClosePolicy, type ChildWorkflowOptions, type WithWorkflowArgs } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ConnectedAccount, RequirementsSummary } from '../domain/activity-contracts';
import { isRestartableFailure } from '../domain/failure-types';
import { openRequirements } from '../domain/open-requirements';
import type { RemediationActivities } from '../domain/remediation-activities';
import { remediationDetails } from '../domain/remediation-details';
import { parseRemediationInput, type RemediationInput } from '../domain/remediation-input';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE } from '../domain/search-attributes';
import { remediationPriority } from '../domain/start-urgency';
import { DEFAULT_CLOSED_COOLDOWN, type RemediationTemplate, type SkipReason } from '../domain/sweep-input';
import { remediationWorkflowId } from '../domain/workflow-ids';
import type { merchantRemediation } from './merchant-remediation';

/**
 * Whether one account needs a remediation, and which: the decision a sweep makes for each account
 * of a page and an account event's triage makes for the account a webhook named. Pure functions
 * and one activity call; the callers own the order of their commands (a sweep's are guarded by
 * patches, src/workflows/patches.ts).
 */
export type Decision = { kind: 'skip'; reason: SkipReason } | { kind: 'remediate'; input: RemediationInput; reasons: string[] };

/**
 * Moov's answers that mean "you may not see this account": skipped with a reason, never fatal. A
 * 401 is not among them: bad credentials refuse every account.
 */
const REFUSED_STATUSES = new Set<number>([403, 404]);

export function refusedByMoov(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable) return false;
  const status = (cause.details?.[0] as { status?: number } | undefined)?.status;
  return status !== undefined && REFUSED_STATUSES.has(status);
}

/** The remediation the template gives this account, or why there is none. */
export function decide(account: ConnectedAccount, requirements: RequirementsSummary, template: RemediationTemplate): Decision {
  const reasons = openRequirements(requirements, template.select);
  if (reasons.length === 0) return { kind: 'skip', reason: 'no-open-requirements' };

  const recipient = account.email ? { email: account.email } : account.phone ? { phone: account.phone } : undefined;
  const sendLink = template.remediation?.sendResolutionLink ?? true;
  const input: RemediationInput = {
    accountID: account.accountID,
    ...(sendLink && recipient && { resolutionLink: { recipient } }),
    ...(template.remediation?.files && { files: template.remediation.files }),
    ...(template.remediation?.connection && { connection: template.remediation.connection }),
    // Resolved means what selected the account: the remediation follows the template's selection.
    ...((template.remediation?.options || template.select) && { options: { ...template.remediation?.options, ...(template.select && { select: template.select }) } }),
  };
  if (!input.resolutionLink && !input.connection && !input.files) return { kind: 'skip', reason: 'no-contact' };
  // The profile's contact may not fit Moov's link limits (e.g. a long phone number).
  if (!parseRemediationInput(input).ok) return { kind: 'skip', reason: 'invalid-contact' };
  return { kind: 'remediate', input, reasons };
}

/**
 * A remediation closed within the cooldown: a new one would send the merchant another link. One
 * that failed on Moov's side (an outage) is not held back: it never reached the merchant's part.
 * No patch: the decision reads the activity's recorded result, which replays unchanged.
 */
export async function closedRecently(activities: RemediationActivities, accountID: string, template: RemediationTemplate): Promise<boolean> {
  const last = await activities.lastRemediation({ accountID });
  if (last.closedAt === undefined || isRestartableFailure(last.failureType, last.lastFailureType)) return false;
  return Date.now() - Date.parse(last.closedAt) < msToNumber((template.closedCooldown ?? DEFAULT_CLOSED_COOLDOWN) as never);
}

/**
 * The child start of the account's remediation. Its workflow id is the account's, so a running one
 * makes the start fail with WorkflowExecutionAlreadyStartedError (never a second remediation).
 */
export function remediationChildOptions(input: RemediationInput, startedBy: string): WithWorkflowArgs<typeof merchantRemediation, Omit<ChildWorkflowOptions, 'typeInfo'>> {
  return {
    workflowId: remediationWorkflowId(input.accountID),
    args: [input],
    // Remediations run for days; they must outlive the workflow that started them.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    // Automation's starts yield to the onboarding backend's (src/domain/start-urgency.ts). Not a
    // command attribute replay compares (docs/deploying.md).
    priority: remediationPriority(input.accountID, 'bulk'),
    typedSearchAttributes: [
      { key: MOOV_ACCOUNT_ID, value: input.accountID },
      { key: REMEDIATION_PHASE, value: 'starting' },
    ],
    staticSummary: `Moov remediation for account ${input.accountID} (started by ${startedBy})`,
    staticDetails: remediationDetails(input),
  };
}

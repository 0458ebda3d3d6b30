/** One remediation per account at a time: the id is derived from the account, never random. */
export function remediationWorkflowId(accountID: string): string {
  return `remediation-${accountID}`;
}

/**
 * The triage of a Moov account event (src/workflows/account-event-triage.ts): one per account at a
 * time, started with USE_EXISTING, so a burst of webhooks for one account is one triage.
 */
export function accountEventWorkflowId(accountID: string): string {
  return `account-event-${accountID}`;
}

export const DEFAULT_TASK_QUEUE = 'merchant-remediation';

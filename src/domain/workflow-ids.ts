/** One remediation per account at a time: the id is derived from the account, never random. */
export function remediationWorkflowId(accountID: string): string {
  return `remediation-${accountID}`;
}

export const DEFAULT_TASK_QUEUE = 'merchant-remediation';

import { Context } from '@temporalio/activity';
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { isUnimplemented } from '../domain/grpc-status';
import { remediationWorkflowId } from '../domain/workflow-ids';

/**
 * A run that closed this way may have left an activity running on a worker: Temporal does not wait
 * for a terminated, timed-out, cancelled or failed run's activities, and an abandoned attempt only
 * learns of it at its next heartbeat (docs.temporal.io/encyclopedia/detecting-activity-failures).
 * A completed run (or one continued as new) awaited its uploads.
 */
const ABANDONING: ReadonlySet<WorkflowExecutionStatusName> = new Set(['TERMINATED', 'TIMED_OUT', 'CANCELLED', 'FAILED']);

/** When the account's earlier remediation runs that closed since `since` and may have abandoned work closed (ms, server clock). */
export type AbandonedRunCloses = (accountID: string, since: Date) => Promise<number[]>;

/**
 * Reads the account's earlier runs from Temporal's visibility, through the worker's own client
 * (docs.temporal.io/develop/typescript/core-application: activity context client). The
 * time-skipping test server has no visibility and answers UNIMPLEMENTED: then there is nothing to
 * read, and the worker says so in its log.
 */
export const abandonedRunClosesFromVisibility: AbandonedRunCloses = async (accountID, since) => {
  const context = Context.current();
  const query = `WorkflowId = "${remediationWorkflowId(accountID)}" AND CloseTime > "${since.toISOString()}"`;
  try {
    return await closesMatching(context.client, query);
  } catch (err) {
    if (!isUnimplemented(err)) throw err;
    context.log.warn('the Temporal server cannot list workflows: a run abandoned mid-upload cannot be seen', { accountID });
    return [];
  }
};

async function closesMatching(client: Client, query: string): Promise<number[]> {
  const closes: number[] = [];
  for await (const run of client.workflow.list({ query })) {
    if (run.closeTime && ABANDONING.has(run.status.name)) closes.push(run.closeTime.getTime());
  }
  return closes;
}

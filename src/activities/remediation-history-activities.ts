import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AccountRef, LastRemediation } from '../domain/activity-contracts';
import { remediationWorkflowId } from '../domain/workflow-ids';

/** What Temporal knows about past remediations: the sweep's cooldown asks it, not Moov. */
export function createRemediationHistoryActivities() {
  return {
    /**
     * The latest run under the account's workflow id (a describe reads the newest run), through
     * the worker's own client (docs.temporal.io/develop/typescript/core-application: activity
     * context client). Read-only, so safe to repeat.
     */
    async lastRemediation({ accountID }: AccountRef): Promise<LastRemediation> {
      try {
        const description = await Context.current().client.workflow.getHandle(remediationWorkflowId(accountID)).describe();
        return { status: description.status.name, ...(description.closeTime && { closedAt: description.closeTime.toISOString() }) };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return {};
        throw err;
      }
    },
  };
}

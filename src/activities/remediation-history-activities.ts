import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
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
        const handle = Context.current().client.workflow.getHandle(remediationWorkflowId(accountID));
        const description = await handle.describe();
        return {
          status: description.status.name,
          ...(description.closeTime && { closedAt: description.closeTime.toISOString() }),
          // That run's result, not a newer run's that may start in between.
          ...(description.status.name === 'FAILED' && (await failureOf(Context.current().client.workflow.getHandle(description.workflowId, description.runId, { followRuns: false })))),
        };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return {};
        throw err;
      }
    },
  };
}

/**
 * Why a failed run failed: its failure's type and, for a spent retry budget, the last failure's,
 * so the sweep can tell a run that ended on Moov's side (an outage) from one a merchant or an
 * operator must act on. result() of a closed run reads only its close event.
 */
async function failureOf(handle: WorkflowHandle): Promise<Pick<LastRemediation, 'failureType' | 'lastFailureType'>> {
  try {
    await handle.result();
    return {};
  } catch (err) {
    // A run fails with its step's failure: an ApplicationFailure, or one inside an ActivityFailure.
    const cause = err instanceof WorkflowFailedError ? (err.cause instanceof ActivityFailure ? err.cause.cause : err.cause) : undefined;
    const failure = cause instanceof ApplicationFailure ? cause : undefined;
    const last = (failure?.details?.[0] as { lastFailureType?: unknown } | undefined)?.lastFailureType;
    return { ...(failure?.type && { failureType: failure.type }), ...(typeof last === 'string' && { lastFailureType: last }) };
  }
}

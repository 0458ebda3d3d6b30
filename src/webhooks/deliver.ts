import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { MOOV_ACCOUNT_ID } from '../domain/search-attributes';
import { accountEventWorkflowId, remediationWorkflowId } from '../domain/workflow-ids';
import type { accountEventTriage } from '../workflows';
import { moovChangedSignal, type MoovChangedNotice } from '../workflows/definitions';
import type { Answer } from './answers';
import type { MoovEvent } from './events';
import type { SweepTemplateSource } from './sweep-template';

/**
 * Moov wants a 2xx within 5 s (docs.moov.io/guides/webhooks): every Temporal call a delivery makes
 * shares this deadline (docs.temporal.io/develop/typescript/temporal-client: withDeadline), so a
 * slow or unreachable Temporal is answered 503, and Moov retries, before Moov gives up on us.
 */
export const TEMPORAL_DEADLINE_MS = 4_000;

export interface AccountEventDelivery {
  client: Client;
  taskQueue: string;
  autostart: boolean;
  templates: SweepTemplateSource;
  deadlineMs?: number;
  /** Told why no triage was started when the Schedule's input is unusable. */
  onInvalidTemplate?: (message: string) => void;
}

/**
 * An account event: signal the account's running remediation with moovChanged. With none running
 * (never started, or closed), start or join its triage when autostart is on, else acknowledge.
 * Resolves only once Temporal has accepted the signal or start; rejects when it has not (→ 503).
 */
export async function deliverAccountEvent(event: MoovEvent, accountID: string, options: AccountEventDelivery): Promise<Answer> {
  const { client } = options;
  const notice: MoovChangedNotice = { eventID: event.eventID, type: event.type, ...(event.createdOn !== undefined && { createdOn: event.createdOn }) };
  return client.withDeadline(Date.now() + (options.deadlineMs ?? TEMPORAL_DEADLINE_MS), async () => {
    try {
      await client.workflow.getHandle(remediationWorkflowId(accountID)).signal(moovChangedSignal, notice);
      return 'signaled';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (!options.autostart) return 'no-remediation';
    const lookup = await options.templates.get();
    if (!lookup.ok) {
      options.onInvalidTemplate?.(lookup.message);
      return 'invalid-template';
    }
    await client.workflow.start<typeof accountEventTriage>('accountEventTriage', {
      taskQueue: options.taskQueue,
      workflowId: accountEventWorkflowId(accountID),
      args: [{ accountID, template: lookup.template, event: notice }],
      // A burst of events for one account is one triage: a start while one runs joins it.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: MOOV_ACCOUNT_ID, value: accountID }],
      staticSummary: `Triage of Moov event ${event.type} for account ${accountID}`,
    });
    return 'triage-started';
  });
}

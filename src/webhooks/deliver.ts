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
 * shares this deadline, so a slow or unreachable Temporal is answered 503, and Moov retries,
 * before Moov gives up on us.
 */
export const TEMPORAL_DEADLINE_MS = 4_000;

export class TemporalDeadlineExceeded extends Error {
  override readonly name = 'TemporalDeadlineExceeded';
  constructor(deadlineMs: number) {
    super(`Temporal did not answer within ${deadlineMs} ms`);
  }
}

/**
 * `fn`'s Temporal calls with a gRPC deadline and an abort signal (docs.temporal.io/develop/
 * typescript/temporal-client), and a timer: the client's retries of an unreachable server
 * (UNAVAILABLE, with backoff) outlast a per-call deadline, so only the timer bounds the answer.
 * A call that still lands after it is harmless: Moov retries, and the workflow dedupes by eventID.
 * Until the client's retries end, the work stays in `lingering`: the connection must not close
 * under it (a retry on a closed channel throws from a timer).
 */
async function withinDeadline<T>(client: Client, deadlineMs: number, lingering: Set<Promise<unknown>> | undefined, fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new TemporalDeadlineExceeded(deadlineMs));
    }, deadlineMs);
  });
  const work = client.withAbortSignal(abort.signal, () => client.withDeadline(Date.now() + deadlineMs, fn));
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  lingering?.add(settled);
  void settled.then(() => lingering?.delete(settled));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface AccountEventDelivery {
  client: Client;
  taskQueue: string;
  autostart: boolean;
  templates: SweepTemplateSource;
  deadlineMs?: number;
  /** Temporal work not yet settled, answered or not (see withinDeadline): the receiver's close waits for it. */
  lingering?: Set<Promise<unknown>>;
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
  return withinDeadline(client, options.deadlineMs ?? TEMPORAL_DEADLINE_MS, options.lingering, async () => {
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

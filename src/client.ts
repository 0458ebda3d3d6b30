import { Client, Connection, ServiceError, WithStartWorkflowOperation, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { dataConverterFromEnv } from './codec/data-converter';
import { temporalConnectionOptions } from './config/temporal-connection';
import { temporalConfigFromEnv, type TemporalConnectionConfig } from './config/worker-config';
import type { AddWorkResult, WorkItemAnswer } from './domain/added-work';
import { FailureType } from './domain/failure-types';
import { remediationDetails } from './domain/remediation-details';
import { parseRemediationInput, type RemediationInput, type RemediationWork, type ValidRemediationInput } from './domain/remediation-input';
import { TERMINAL_PHASES, type RemediationStatus } from './domain/remediation-status';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE } from './domain/search-attributes';
import { remediationPriority, type StartUrgency } from './domain/start-urgency';
import { DEFAULT_TASK_QUEUE, remediationWorkflowId } from './domain/workflow-ids';
import { addWorkUpdate, markResolvedUpdate, replaceActiveLinkUpdate, statusQuery, type ReplaceActiveLinkResult } from './workflows/definitions';
import type { merchantRemediation } from './workflows';
import { isUnimplemented } from './domain/grpc-status';

/**
 * The programmatic API the onboarding backend uses (and the CLI is built on). Every function
 * takes a connected Temporal `Client`; `connectClient` makes one from the environment.
 */

export class InvalidRemediationInputError extends Error {
  override readonly name = 'InvalidRemediationInputError';
}

export interface StartedRemediation {
  workflowId: string;
  runId: string;
  /** false when a remediation for this account was already running: the input's items went to it as added work. */
  started: boolean;
  /** One answer per item of the input: all `accepted` on a fresh start; a running remediation's own answer otherwise. */
  items: WorkItemAnswer[];
  handle: WorkflowHandle<typeof merchantRemediation>;
}

/**
 * Address, namespace, TLS, API key and gRPC headers as `temporalConfigFromEnv` reads them (profile file + TEMPORAL_*).
 * `dataConverter` defaults to payload encryption when TEMPORAL_CODEC_KEYS or TEMPORAL_CODEC_KEY_FILE
 * is set (the worker must use the same keys), else plaintext; pass `{}` for plaintext regardless.
 */
export async function connectClient(
  config: TemporalConnectionConfig = temporalConfigFromEnv(),
  dataConverter: DataConverter | undefined = dataConverterFromEnv(),
): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.namespace, ...(dataConverter && { dataConverter }) });
}

export function validateRemediationInput(input: unknown): ValidRemediationInput {
  const parsed = parseRemediationInput(input);
  if (!parsed.ok) throw new InvalidRemediationInputError(parsed.message);
  return parsed.input;
}

/**
 * A remediation that has just ended refuses added work; its run closes a moment later and the
 * next attempt starts a fresh one. These many attempts, this far apart, cover that moment.
 */
const FINISHED_RETRY = { attempts: 5, gapMs: 400 };

/**
 * Starts the account's remediation, or adds the input's work to the one already running, with
 * Temporal's update-with-start (docs.temporal.io/develop/typescript/message-passing#update-with-start):
 * the workflow id is the account's and the conflict policy USE_EXISTING, so there are never two at
 * once, and every item gets a definite answer (accepted, already present, or refused and why).
 */
export async function startRemediation(
  client: Client,
  input: RemediationInput,
  options: {
    taskQueue?: string;
    /** `bulk` for a script or backfill over many accounts: it yields to interactive starts at every step. Default `interactive`. */
    urgency?: StartUrgency;
  } = {},
): Promise<StartedRemediation> {
  const valid = validateRemediationInput(input);
  const workflowId = remediationWorkflowId(valid.accountID);
  for (let attempt = 1; ; attempt++) {
    // The memo tells a fresh start from a running remediation: only our own start carries our token.
    const startToken = randomUUID();
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof merchantRemediation>('merchantRemediation', {
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      workflowId,
      args: [valid],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { startToken },
      typedSearchAttributes: [
        { key: MOOV_ACCOUNT_ID, value: valid.accountID },
        { key: REMEDIATION_PHASE, value: 'starting' },
      ],
      staticSummary: `Moov remediation for account ${valid.accountID}`,
      staticDetails: remediationDetails(valid),
      priority: remediationPriority(valid.accountID, options.urgency ?? 'interactive'),
    });
    try {
      const answer = await client.workflow
        .executeUpdateWithStart(addWorkUpdate, { args: [{ work: workOf(valid) }], startWorkflowOperation })
        .catch(async (err: unknown) => {
          if (!updateWithStartUnsupported(err)) throw err;
          return startThenAdd(client, startWorkflowOperation, valid);
        });
      const handle = await startWorkflowOperation.workflowHandle().catch(() => client.workflow.getHandle<typeof merchantRemediation>(workflowId));
      const description = await handle.describe();
      const started = description.memo?.startToken === startToken;
      // A fresh run's work is its input, which its own update answer calls "already present".
      const items = started ? answer.items.map(({ kind, key }) => ({ kind, key, outcome: 'accepted' as const })) : answer.items;
      return { workflowId, runId: description.runId, started, items, handle };
    } catch (err) {
      if (!(refusedAsFinished(err) && attempt < FINISHED_RETRY.attempts)) throw err;
      await delay(FINISHED_RETRY.gapMs);
    }
  }
}

/**
 * Servers without update-with-start (older ones, Temporal's time-skipping test server) answer
 * UNIMPLEMENTED: the same in two calls, a start that uses the running run, then the update.
 * Not atomic, but each call is safe to repeat, and the answer per item is the same.
 */
async function startThenAdd(
  client: Client,
  operation: WithStartWorkflowOperation<typeof merchantRemediation>,
  input: ValidRemediationInput,
): Promise<AddWorkResult> {
  const handle = await client.workflow.start<typeof merchantRemediation>('merchantRemediation', operation.options);
  return handle.executeUpdate(addWorkUpdate, { args: [{ work: workOf(input) }] });
}

function updateWithStartUnsupported(err: unknown): boolean {
  return err instanceof ServiceError && isUnimplemented(err);
}

function workOf({ accountID: _accountID, options: _options, ...work }: ValidRemediationInput): RemediationWork {
  return work;
}

function refusedAsFinished(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === FailureType.RemediationFinished;
}


/** Accepts an account ID or a workflow id (`remediation-<accountID>`). */
export function toWorkflowId(accountOrWorkflowId: string): string {
  return accountOrWorkflowId.startsWith('remediation-') ? accountOrWorkflowId : remediationWorkflowId(accountOrWorkflowId);
}

function handleFor(client: Client, accountOrWorkflowId: string): WorkflowHandle<typeof merchantRemediation> {
  return client.workflow.getHandle<typeof merchantRemediation>(toWorkflowId(accountOrWorkflowId));
}

/** The live status of a running remediation, or the recorded outcome of a finished one. */
export async function getRemediationStatus(client: Client, accountOrWorkflowId: string): Promise<RemediationStatus> {
  const handle = handleFor(client, accountOrWorkflowId);
  return handle.query(statusQuery);
}

/** Ends the wait for another party's active link: the workflow disables it and creates ours. */
export async function replaceActiveLink(client: Client, accountOrWorkflowId: string, reason?: string): Promise<ReplaceActiveLinkResult> {
  return handleFor(client, accountOrWorkflowId).executeUpdate(replaceActiveLinkUpdate, { args: [reason !== undefined ? { reason } : {}] });
}

/** Ends follow-through early as resolved (only while the remediation is awaiting the merchant). */
export async function markRemediationResolved(client: Client, accountOrWorkflowId: string, note?: string): Promise<RemediationStatus> {
  return handleFor(client, accountOrWorkflowId).executeUpdate(markResolvedUpdate, { args: [note !== undefined ? { note } : {}] });
}

/** Temporal's own cancellation: the workflow records `cancelled` and stops where it is. */
export async function cancelRemediation(client: Client, accountOrWorkflowId: string): Promise<void> {
  const handle = handleFor(client, accountOrWorkflowId);
  // The server accepts a cancel for a closed run and does nothing; say so instead of "done".
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') throw new Error(`${handle.workflowId} is not running (${status.name}); nothing to cancel`);
  await handle.cancel();
}

export interface WaitOptions {
  /** Called whenever the phase changes (for progress output). */
  onPhase?: (status: RemediationStatus) => void;
  /** The first gap between status queries (default 500 ms); it doubles up to STATUS_QUERY_MAX_GAP_MS. */
  pollIntervalMs?: number;
}

/**
 * The longest gap between two status queries while a run waits. A query on a workflow the worker
 * has evicted replays its history (docs.temporal.io/develop/typescript/message-passing#queries),
 * and a remediation may wait for days; the outcome itself comes from the result long-poll.
 */
export const STATUS_QUERY_MAX_GAP_MS = 30_000;

/** The gap after `previousMs`: doubled, up to the cap, and back to the first gap when the phase moved. */
export function nextStatusQueryGap(previousMs: number, firstMs: number, phaseChanged: boolean): number {
  return phaseChanged ? firstMs : Math.min(previousMs * 2, Math.max(STATUS_QUERY_MAX_GAP_MS, firstMs));
}

/**
 * Waits for the remediation's outcome, reporting phase changes. Resolves with the final status
 * on success; rejects with the workflow's failure (message and cause) otherwise.
 */
export async function waitForRemediation(
  client: Client,
  accountOrWorkflowId: string,
  options: WaitOptions = {},
): Promise<RemediationStatus> {
  const handle = handleFor(client, accountOrWorkflowId);
  // The long-poll: answers as soon as the run closes, however long the query gap has grown.
  const result = handle.result();
  const firstGapMs = options.pollIntervalMs ?? 500;
  let gapMs = firstGapMs;
  let lastPhase: string | undefined;
  let settled = false;
  result.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled && options.onPhase) {
    let phaseChanged = false;
    try {
      const status = await handle.query(statusQuery);
      if (status.phase !== lastPhase) {
        // The first answer is no change of phase: the gaps start growing from it.
        phaseChanged = lastPhase !== undefined;
        lastPhase = status.phase;
        options.onPhase(status);
      }
      if (TERMINAL_PHASES.includes(status.phase)) break;
    } catch {
      // The workflow may not have run its first task yet; the next poll will see it.
    }
    await Promise.race([result.catch(() => undefined), delay(gapMs)]);
    // Until the first answer (the run's first workflow task may not have run yet) the gap stays short.
    gapMs = lastPhase === undefined ? firstGapMs : nextStatusQueryGap(gapMs, firstGapMs, phaseChanged);
  }
  return result;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The most specific message in a failure chain: the activity's Moov error behind a failed
 * workflow, or the workflow's refusal behind a failed update.
 */
export function failureMessage(err: unknown): string {
  if (err instanceof WorkflowFailedError || err instanceof WorkflowUpdateFailedError) {
    let cause: Error | undefined = err.cause;
    while (cause?.cause instanceof Error) cause = cause.cause;
    return cause?.message ?? err.message;
  }
  return (err as Error).message ?? String(err);
}

/** Listing remediations from Temporal's visibility: its own module (src/remediation-list.ts), part of this API. */
export { listRemediations, remediationListQuery, type RemediationListEntry, type RemediationListFilter } from './remediation-list';

import type { ConnectionLike } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * The task queue's pacing, applied by the worker at start through Temporal's API (WorkflowService
 * UpdateTaskQueueConfig, what `temporal task-queue config set` calls;
 * docs.temporal.io/develop/task-queue-priority-fairness#set-rate-limits-at-the-task-queue-level):
 *
 * - a rate per fairness key (`fairnessKeysRateLimitDefault`) = MOOV_ACCOUNT_RATE_LIMIT. Every
 *   activity's fairness key is the Moov account ID it addresses (src/workflows/fairness-keys.ts), so
 *   the server dispatches each account's activities at most at Moov's per-account rate
 *   (docs.moov.io/api/rate-limits: 40 requests/s per account ID, 10 in test mode), across all workers;
 * - a queue-wide rate (`queueRateLimit`) = MOOV_PARTNER_RATE_LIMIT when set, for a partner-wide
 *   budget; unset, the worker removes a queue rate an earlier start set, so no global cap holds
 *   the accounts back. One set through the API takes precedence over a worker's own
 *   `maxTaskQueueActivitiesPerSecond`; when both limits are set, the stricter one binds.
 *
 * The worker owns this configuration: each start writes both fields, so a change made with the CLI
 * lasts until the next worker start. Fail-soft: a server that refuses the call or lacks the API
 * (older servers, the time-skipping test server, credentials without the permission) gets a
 * warning, and the worker starts anyway (docs/deploying.md, "Per-account pacing").
 */

export interface TaskQueuePacing {
  /** Activities per second per fairness key (Moov account). */
  accountRateLimit: number;
  /** Activities per second for the whole queue (the partner); absent: no queue-wide limit. */
  partnerRateLimit?: number;
}

export interface AppliedTaskQueueConfig {
  accountRateLimit?: number;
  partnerRateLimit?: number;
}

export type TaskQueueConfigOutcome =
  | { outcome: 'applied'; config: AppliedTaskQueueConfig }
  /** The call failed or was refused: nothing was changed on the server. */
  | { outcome: 'unavailable'; reason: string };

/** How long applying it may hold up the worker's start. */
const APPLY_TIMEOUT_MS = 10_000;
const REASON = 'set by the merchant remediation worker at start (MOOV_ACCOUNT_RATE_LIMIT, MOOV_PARTNER_RATE_LIMIT)';

type WorkflowServiceConnection = Pick<ConnectionLike, 'workflowService' | 'withDeadline'>;

/** Reads back what the server holds (`RateLimit.requestsPerSecond`; absent when unset). */
export function pacingOf(config: temporal.api.taskqueue.v1.ITaskQueueConfig | null | undefined): AppliedTaskQueueConfig {
  const account = config?.fairnessKeysRateLimitDefault?.rateLimit?.requestsPerSecond;
  const partner = config?.queueRateLimit?.rateLimit?.requestsPerSecond;
  return { ...(account != null && { accountRateLimit: account }), ...(partner != null && { partnerRateLimit: partner }) };
}

/** One UpdateTaskQueueConfig call on the queue's activity side (rate limits are per task queue type). */
export async function applyTaskQueuePacing(
  connection: WorkflowServiceConnection,
  target: { namespace: string; taskQueue: string; identity?: string },
  pacing: TaskQueuePacing,
): Promise<TaskQueueConfigOutcome> {
  try {
    const response = await connection.withDeadline(Date.now() + APPLY_TIMEOUT_MS, () =>
      connection.workflowService.updateTaskQueueConfig({
        namespace: target.namespace,
        ...(target.identity && { identity: target.identity }),
        taskQueue: target.taskQueue,
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: pacing.accountRateLimit }, reason: REASON },
        // Without `rateLimit` the update removes the queue rate (the API's "unset").
        updateQueueRateLimit: pacing.partnerRateLimit !== undefined ? { rateLimit: { requestsPerSecond: pacing.partnerRateLimit }, reason: REASON } : { reason: REASON },
      }),
    );
    return { outcome: 'applied', config: pacingOf(response.config) };
  } catch (err) {
    return { outcome: 'unavailable', reason: (err as Error).message ?? String(err) };
  }
}

/** The production equivalent, for the warning and docs/deploying.md. */
export function taskQueueConfigCommand(target: { namespace: string; taskQueue: string }, pacing: TaskQueuePacing): string {
  return (
    `temporal task-queue config set --namespace ${target.namespace} --task-queue ${target.taskQueue} --task-queue-type activity ` +
    `--fairness-key-rps-limit-default ${pacing.accountRateLimit} --queue-rps-limit ${pacing.partnerRateLimit ?? 'default'}`
  );
}

/** Applies it and logs the outcome; never throws. */
export async function applyTaskQueuePacingOrWarn(
  connection: WorkflowServiceConnection,
  target: { namespace: string; taskQueue: string; identity?: string },
  pacing: TaskQueuePacing,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<TaskQueueConfigOutcome> {
  const outcome = await applyTaskQueuePacing(connection, target, pacing);
  const partner = pacing.partnerRateLimit !== undefined ? `, at most ${pacing.partnerRateLimit}/s for the whole queue (MOOV_PARTNER_RATE_LIMIT)` : ', no queue-wide limit';
  if (outcome.outcome === 'applied') {
    logger.info(`task queue ${target.taskQueue}: activities paced by the server at ${pacing.accountRateLimit}/s per Moov account (MOOV_ACCOUNT_RATE_LIMIT)${partner}`, {
      taskQueue: target.taskQueue,
      ...outcome.config,
    });
  } else {
    logger.warn(
      `could not configure the pacing of task queue ${target.taskQueue} (${outcome.reason}): the server does not pace activities per Moov account, ` +
        `so Moov's 429s and their retries do it (and MOOV_PARTNER_RATE_LIMIT, if set, falls back to the worker's own queue rate). ` +
        `On a server with task queue fairness, apply it with: ${taskQueueConfigCommand(target, pacing)} (docs/deploying.md)`,
      { taskQueue: target.taskQueue, taskQueueConfig: 'unavailable' },
    );
  }
  return outcome;
}

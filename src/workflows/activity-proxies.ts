import { ActivityFailure, ApplicationFailure, patched, proxyActivities, sleep, type RetryPolicy } from '@temporalio/workflow';
import type { RemediationActivities } from '../activities';
import type { WaitHintBeyondBudgetDetails } from '../activities/wait-hint-budget';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../domain/failure-types';
import { PATCHES } from './patches';
import { formatDuration, retriesExhausted } from './retries-exhausted';

/**
 * Temporal is the one owner of retries: the Moov client makes one attempt, an activity maps the
 * outcome to a failure, and this policy retries 429/5xx/network failures (with the server's wait
 * hint as nextRetryDelay) until the step's schedule-to-close budget is spent.
 */
const UPLOAD_ACTIVITIES = new Set<PropertyKey>(['uploadFile', 'planFileUploads']);

/**
 * Task-queue priority (1 runs first, 3 is the default): the further a remediation has got, the
 * sooner its next call runs, so a backlog (a large sweep behind the queue's rate limit) finishes
 * the remediations it started, and their retries, before it starts new ones. Without it every
 * retry waits behind the whole backlog and the fleet's last remediations trail far behind
 * (docs/benchmarks.md). Servers without task-queue priority ignore it.
 */
const STEP_PRIORITY: Partial<Record<keyof RemediationActivities, number>> = {
  planFileUploads: 5,
  uploadFile: 4,
  shareConnection: 3,
  updatePaymentLink: 2,
  createResolutionLink: 1,
  getResolutionLink: 1,
  disableResolutionLink: 1,
};

/**
 * The most a remediation waits, per call, for Moov's wait hints that are longer than the step's
 * retry budget (each one a durable timer). A hint that would pass it fails the step, saying so.
 */
export const MAX_DURABLE_HINT_WAIT_MS = 24 * 3600_000;

/** Told when a call waits out a long wait hint, so the status can say what it waits for. */
export type OnDurableWait = (wait: { operation: string; waitMs: number; until: Date } | undefined) => void;

export function remediationActivities(stepRetryTimeoutMs: number, onDurableWait?: OnDurableWait): RemediationActivities {
  const retry: RetryPolicy = {
    // The backoff of Moov's own SDK (500 ms, ×1.5), capped at 10 s: every 429 counts as an attempt
    // too, so a longer schedule left a step that had waited out a few rate-limit hints sitting up to
    // a minute after its next 5xx (the benchmark's long tail). Moov's load does not depend on it:
    // the task queue's activity rate caps the fleet's retries either way.
    initialInterval: '500 milliseconds',
    backoffCoefficient: 1.5,
    maximumInterval: '10 seconds',
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
  };
  const proxies = new Map<PropertyKey, RemediationActivities>();
  const proxyFor = (name: PropertyKey): RemediationActivities => {
    let proxy = proxies.get(name);
    if (!proxy) {
      const priorityKey = STEP_PRIORITY[name as keyof RemediationActivities];
      proxy = proxyActivities<RemediationActivities>({
        // Uploads stream up to 10 MB and heartbeat, so they get longer per attempt and a heartbeat timeout.
        ...(UPLOAD_ACTIVITIES.has(name) ? { startToCloseTimeout: '5 minutes', heartbeatTimeout: '30 seconds' } : { startToCloseTimeout: '1 minute' }),
        scheduleToCloseTimeout: stepRetryTimeoutMs,
        retry,
        ...(priorityKey !== undefined && { priority: { priorityKey } }),
      });
      proxies.set(name, proxy);
    }
    return proxy;
  };
  // proxyActivities returns a Proxy with no own keys, so the options are chosen by name, not spread.
  // Each call's spent retry budget becomes one clear failure (see retries-exhausted.ts); a wait
  // hint past the budget is waited out here, durably, and the call made again.
  return new Proxy({} as RemediationActivities, {
    get: (_target, name) => {
      const call = proxyFor(name)[name as keyof RemediationActivities] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        let waitedMs = 0;
        for (;;) {
          try {
            return await call(...args);
          } catch (err) {
            const hint = waitHintBeyondBudget(err);
            if (!hint || !patched(PATCHES.durableWaitHint)) throw retriesExhausted(err, stepRetryTimeoutMs) ?? err;
            if (waitedMs + hint.waitMs > MAX_DURABLE_HINT_WAIT_MS) throw moreTimeThanAllowed(hint, waitedMs);
            onDurableWait?.({ operation: hint.operation, waitMs: hint.waitMs, until: new Date(Date.now() + hint.waitMs) });
            await sleep(hint.waitMs, { summary: `Moov asked to wait ${formatDuration(hint.waitMs)} before ${hint.operation}` });
            onDurableWait?.(undefined);
            waitedMs += hint.waitMs;
          }
        }
      };
    },
  });
}

function waitHintBeyondBudget(err: unknown): WaitHintBeyondBudgetDetails | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== FailureType.WaitHintBeyondBudget) return undefined;
  return cause.details?.[0] as WaitHintBeyondBudgetDetails | undefined;
}

function moreTimeThanAllowed(hint: WaitHintBeyondBudgetDetails, waitedMs: number): ApplicationFailure {
  const already = waitedMs > 0 ? ` after already waiting ${formatDuration(waitedMs)} for it` : '';
  return ApplicationFailure.create({
    type: FailureType.RetriesExhausted,
    nonRetryable: true,
    message:
      `${hint.operation}: gave up — Moov asked to wait ${formatDuration(hint.waitMs)} before the next attempt${already}, ` +
      `more time than the ${formatDuration(MAX_DURABLE_HINT_WAIT_MS)} a remediation waits for Moov's rate limit. ` +
      `Start the remediation again later (request id ${hint.requestId ?? 'none'}).`,
    details: [{ operation: hint.operation, ...(hint.status !== undefined && { status: hint.status }), ...(hint.requestId !== undefined && { requestId: hint.requestId }), waitMs: hint.waitMs }],
  });
}

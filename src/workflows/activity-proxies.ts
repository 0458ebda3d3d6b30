import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { RemediationActivities } from '../activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../domain/failure-types';
import { retriesExhausted } from './retries-exhausted';

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
  createResolutionLink: 3,
  getResolutionLink: 3,
  disableResolutionLink: 3,
  shareConnection: 2,
  updatePaymentLink: 1,
};

export function remediationActivities(stepRetryTimeoutMs: number): RemediationActivities {
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
  // Each call's spent retry budget becomes one clear failure (see retries-exhausted.ts).
  return new Proxy({} as RemediationActivities, {
    get: (_target, name) => {
      const call = proxyFor(name)[name as keyof RemediationActivities] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) =>
        call(...args).catch((err: unknown) => {
          throw retriesExhausted(err, stepRetryTimeoutMs) ?? err;
        });
    },
  });
}

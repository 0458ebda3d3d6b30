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

export function remediationActivities(stepRetryTimeoutMs: number): RemediationActivities {
  const retry: RetryPolicy = {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
  };
  const calls = proxyActivities<RemediationActivities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: stepRetryTimeoutMs,
    retry,
  });
  // Uploads stream up to 10 MB and heartbeat, so they get longer per attempt and a heartbeat timeout.
  const uploads = proxyActivities<RemediationActivities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: stepRetryTimeoutMs,
    retry,
  });
  // proxyActivities returns a Proxy with no own keys, so the two are combined by name, not spread.
  // Each call's spent retry budget becomes one clear failure (see retries-exhausted.ts).
  return new Proxy(calls, {
    get: (target, name) => {
      const call = (UPLOAD_ACTIVITIES.has(name) ? uploads : target)[name as keyof RemediationActivities] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) =>
        call(...args).catch((err: unknown) => {
          throw retriesExhausted(err, stepRetryTimeoutMs) ?? err;
        });
    },
  });
}

import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { FailureType } from '../domain/failure-types';

/** What a retries-exhausted failure carries, like an activity's Moov failure (status and request id first). */
export interface RetriesExhaustedDetails {
  operation: string;
  /** The last Moov answer's HTTP status and request id, when the last failure had one. */
  status?: number;
  requestId?: string;
  /** The last failure's type, e.g. MoovServerError, MoovTimeout, or `timeout:SCHEDULE_TO_CLOSE`. */
  lastFailureType: string;
  retryState: string;
  stepRetryTimeoutMs: number;
  /** What the activity last reported by heartbeat (uploads), when it timed out. */
  lastHeartbeat?: unknown;
}

/**
 * An activity whose retries ran out (its step's schedule-to-close budget, `stepRetryTimeout`, was
 * spent) fails with Temporal's bare "Activity task failed" or "activity … timeout", which tells an
 * operator nothing. This turns it into one failure that says what gave up, after how long, and
 * what Moov last answered (status and request id in the details, as for any Moov failure).
 *
 * The new failure has no cause on purpose: clients show the deepest cause's message, and that
 * would again hide the "gave up" part. The last error's text is in the message instead.
 * Any other failure (non-retryable, cancellation) is returned unchanged (undefined).
 */
export function retriesExhausted(err: unknown, stepRetryTimeoutMs: number): ApplicationFailure | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  if (err.retryState !== 'TIMEOUT' && err.retryState !== 'MAXIMUM_ATTEMPTS_REACHED') return undefined;

  const timeout = err.cause instanceof TimeoutFailure ? err.cause : undefined;
  // A timeout's cause is the failure of the attempt before (when there was one).
  const last = lastApplicationFailure(err.cause);
  const moov = (last?.details?.[0] ?? {}) as { status?: number; requestId?: string };
  const budget = formatDuration(stepRetryTimeoutMs);
  const why = err.retryState === 'TIMEOUT' ? `its retry budget of ${budget} (stepRetryTimeout) is spent` : 'its retry policy allows no more attempts';
  const parts = [`${err.activityType}: gave up retrying — ${why}.`];
  if (timeout) {
    const heartbeat = timeout.lastHeartbeatDetails !== undefined ? ` It last reported: ${JSON.stringify(timeout.lastHeartbeatDetails)}.` : '';
    parts.push(`The last attempt timed out (${timeoutName(timeout)}) before Moov answered.${heartbeat}`);
  }
  // The Temporal server attaches the attempt-before's failure to a timeout (the test server does not).
  if (last) parts.push(`Last Moov error: ${last.message}`);
  else if (!timeout) parts.push(`Last error: ${(err.cause as Error | undefined)?.message ?? err.message}`);

  const details: RetriesExhaustedDetails = {
    operation: err.activityType,
    ...(moov.status !== undefined && { status: moov.status }),
    ...(moov.requestId !== undefined && { requestId: moov.requestId }),
    lastFailureType: last?.type ?? (timeout ? `timeout:${timeout.timeoutType ?? 'unknown'}` : 'unknown'),
    retryState: err.retryState,
    stepRetryTimeoutMs,
    ...(timeout?.lastHeartbeatDetails !== undefined && { lastHeartbeat: timeout.lastHeartbeatDetails }),
  };
  return ApplicationFailure.create({ type: FailureType.RetriesExhausted, nonRetryable: true, message: parts.join(' '), details: [details] });
}

/** A timeout's kind as the messages write it: `schedule-to-close`, `heartbeat`, … */
export function timeoutName(timeout: TimeoutFailure): string {
  return timeout.timeoutType?.toLowerCase().replace(/_/g, '-') ?? 'timeout';
}

export function lastApplicationFailure(err: unknown): ApplicationFailure | undefined {
  for (let cause = err, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof ApplicationFailure) return cause;
  }
  return undefined;
}

export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [24 * 3600_000, 'day'],
    [3600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}

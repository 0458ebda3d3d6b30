import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { ACTIVITY_SHAPES, HEARTBEAT_TIMEOUT_MS, LONGEST_REQUEST_MS } from '../domain/activity-timeouts';
import { FailureType, isOutageFailureType } from '../domain/failure-types';
import type { MoovOutage } from '../domain/remediation-status';
import { formatDuration, lastApplicationFailure, timeoutName } from './retries-exhausted';

/** What the failed call last heard: enough for the status and a failure an operator can trace. */
export interface OutageEvidence {
  message: string;
  status?: number;
  requestId?: string;
}

/**
 * Whether an activity's failure means Moov is down: the activity handed the wait over
 * (MoovUnavailable: too many attempts found Moov down, or the worker's circuit breaker held the
 * request back), or the step's retry budget (or a parked call's one probe) ran out while Moov was
 * failing that way.
 */
export function outageOf(err: unknown, probe = false): OutageEvidence | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  // A probe that timed out (no answer in time, or its worker died) found Moov no better: it parks
  // again, so a retry never comes sooner than the wait an upload on the wire needs.
  if (probe && err.cause instanceof TimeoutFailure) return { message: `${err.activityType}: the attempt timed out (${timeoutName(err.cause)}) before Moov answered` };
  const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
  const spent = err.retryState === 'TIMEOUT' || err.retryState === 'MAXIMUM_ATTEMPTS_REACHED';
  const last = cause?.type === FailureType.Unavailable ? cause : spent ? lastApplicationFailure(err.cause) : undefined;
  if (!last || (last.type !== FailureType.Unavailable && !isOutageFailureType(last.type ?? undefined))) return undefined;
  const moov = (last.details?.[0] ?? {}) as { status?: number; requestId?: string };
  return { message: last.message, ...(moov.status !== undefined && { status: moov.status }), ...(moov.requestId !== undefined && { requestId: moov.requestId }) };
}

/**
 * The shortest wait before a parked call is made again. An upload whose answer was lost may still
 * land at Moov: its attempt may go on until it notices it timed out (its next heartbeat, within
 * the heartbeat timeout), then its request may take the longest request's time. The next attempt
 * is a new activity, which starts without the earlier one's in-flight record, so it must come after
 * any such upload has landed and shows in Moov's list of files: the window a new run waits for an
 * abandoned run's upload (src/activities/file-activities.ts), at the largest HTTP timeouts.
 */
export const UPLOAD_PARK_FLOOR_MS = HEARTBEAT_TIMEOUT_MS + LONGEST_REQUEST_MS + 5_000;

export function parkFloorMs(activity: string): number {
  const shape = (ACTIVITY_SHAPES as Record<string, { landingWait?: boolean } | undefined>)[activity];
  return shape?.landingWait ? UPLOAD_PARK_FLOOR_MS : 0;
}

/** The remediation's end when Moov stayed down for longer than it may wait: restartable (a sweep starts it again). */
export function outageTooLong(outage: Pick<MoovOutage, 'operation' | 'since' | 'lastError' | 'status' | 'requestId' | 'parks'>, maxOutageWaitMs: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.OutageTooLong,
    nonRetryable: true,
    message:
      `${outage.operation}: gave up — Moov has been unavailable since ${outage.since}, longer than maxOutageWait (${formatDuration(maxOutageWaitMs)}). ` +
      `Start the remediation again when Moov is back; a sweep does so by itself. Last Moov error: ${outage.lastError}`,
    details: [
      {
        operation: outage.operation,
        ...(outage.status !== undefined && { status: outage.status }),
        ...(outage.requestId !== undefined && { requestId: outage.requestId }),
        since: outage.since,
        parks: outage.parks,
        maxOutageWaitMs,
      },
    ],
  });
}

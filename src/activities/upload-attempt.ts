import { Context } from '@temporalio/activity';
import { HEARTBEAT_TIMEOUT_MS, heartbeatIntervalMs } from '../domain/activity-timeouts';

/**
 * What an upload attempt heartbeats. Temporal hands the last details to the next attempt
 * (`info.heartbeatDetails`, docs.temporal.io/develop/typescript/failure-detection#activity-heartbeats),
 * which is how a retry learns that an earlier upload got no answer and may still land at Moov.
 * Moov has no idempotency key for files, so that retry must not upload blindly.
 */
export type UploadHeartbeat =
  | { phase: 'inspecting'; inspected: number }
  | { phase: 'listing' }
  /** The request is on the wire; until `landsBy` Moov may still store it, answered or not. */
  | { phase: 'uploading'; sha256: string; startedAt: string; landsBy: string }
  /** Moov answered: whatever it stored is in its file list now. */
  | { phase: 'answered' }
  /** The attempt failed before sending any upload. */
  | { phase: 'nothing-sent' };

export type InFlightUpload = Extract<UploadHeartbeat, { phase: 'uploading' }>;

/** The records after which no upload of an earlier attempt is on the wire. */
const SETTLED_PHASES: ReadonlySet<unknown> = new Set<UploadHeartbeat['phase']>(['answered', 'nothing-sent']);

interface AttemptInfo {
  attempt: number;
  heartbeatDetails?: unknown;
  currentAttemptScheduledTimestampMs: number;
}

/**
 * The earlier attempt's upload of these bytes that may still be on its way to Moov, if any.
 *
 * A recorded in-flight upload says so itself. A retry whose earlier attempt left no settled record
 * (its worker died or hung) cannot tell "never sent" from "sent, but the in-flight record was lost":
 * heartbeats are throttled (docs.temporal.io/encyclopedia/detecting-activity-failures#throttling),
 * so a `listing` record followed within the throttle interval by an upload may be all the server
 * got. It assumes the worst: an upload sent just before this attempt was scheduled (the earlier
 * attempt had ended by then), landing by then plus the longest request the HTTP timeouts allow.
 */
export function earlierUploadInFlight(info: AttemptInfo, sha256: string, longestRequestMs: number): InFlightUpload | undefined {
  if (info.attempt === 1) return undefined;
  const details = info.heartbeatDetails;
  const recorded = recordedInFlight(details);
  if (recorded) return recorded.sha256 === sha256 ? recorded : undefined;
  if (isRecord(details) && SETTLED_PHASES.has(details.phase)) return undefined;
  return {
    phase: 'uploading',
    sha256,
    startedAt: 'unknown (the earlier attempt ended without a record)',
    landsBy: new Date(info.currentAttemptScheduledTimestampMs + longestRequestMs).toISOString(),
  };
}

function recordedInFlight(details: unknown): InFlightUpload | undefined {
  if (!isRecord(details)) return undefined;
  const record = details as Partial<InFlightUpload>;
  if (record.phase !== 'uploading' || typeof record.sha256 !== 'string' || typeof record.landsBy !== 'string') return undefined;
  if (Number.isNaN(Date.parse(record.landsBy))) return undefined;
  return { phase: 'uploading', sha256: record.sha256, startedAt: String(record.startedAt), landsBy: record.landsBy };
}

function isRecord(details: unknown): details is Record<string, unknown> {
  return details !== null && typeof details === 'object';
}

/**
 * Runs `work` heartbeating `details` at once and then on a timer, so an attempt waiting on a slow
 * Moov is never taken for a dead one (a timed-out upload whose request then lands is a second file).
 */
export async function withHeartbeats<T>(details: UploadHeartbeat, work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat = () => context.heartbeat(details);
  beat();
  const timer = setInterval(beat, heartbeatIntervalMs(context.info.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * "Now" on the Temporal server's clock, for comparing one attempt's landing time with another's:
 * the attempt's scheduled time (the server's) plus what has passed since it started here. Retry
 * delays run on the server's clock (and skip ahead on the time-skipping test server), so two
 * attempts that compared the workers' own clocks could disagree about whether a wait has passed.
 */
export function serverClock(info: { currentAttemptScheduledTimestampMs: number }): () => number {
  const startedHere = Date.now();
  return () => info.currentAttemptScheduledTimestampMs + (Date.now() - startedHere);
}

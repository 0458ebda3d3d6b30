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
  | { phase: 'answered' };

export type InFlightUpload = Extract<UploadHeartbeat, { phase: 'uploading' }>;

/** The earlier attempt's upload, if it was on the wire when that attempt ended. */
export function previousUploadInFlight(details: unknown): InFlightUpload | undefined {
  if (details === null || typeof details !== 'object') return undefined;
  const record = details as Partial<InFlightUpload>;
  if (record.phase !== 'uploading' || typeof record.sha256 !== 'string' || typeof record.landsBy !== 'string') return undefined;
  if (Number.isNaN(Date.parse(record.landsBy))) return undefined;
  return { phase: 'uploading', sha256: record.sha256, startedAt: String(record.startedAt), landsBy: record.landsBy };
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

import { Context } from '@temporalio/activity';
import { HEARTBEAT_TIMEOUT_MS, heartbeatIntervalMs } from '../domain/activity-timeouts';
import type { MoovError } from '../moov';

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

/** As heartbeated: stamped with the attempt that wrote it (absent in records of earlier versions). */
type StampedHeartbeat = UploadHeartbeat & { attempt?: number };

/** Heartbeats `details` as this attempt's record. */
export function recordHeartbeat(details: UploadHeartbeat): void {
  const context = Context.current();
  context.heartbeat({ ...details, attempt: context.info.attempt } satisfies StampedHeartbeat);
}

/**
 * Whether a failed upload's outcome is known: any answer but a 504, or a refusal before sending.
 * A 4xx stored nothing; after a 500, 502 or 503 the origin (for a 502, the upstream the gateway
 * heard from) is done with the request, so what it stored is in the file list by now. A 504 is a
 * gateway that stopped waiting while the upstream may still store the file (RFC 9110 §15.6.5), and
 * a timeout or dropped connection told nothing: their in-flight record stays for the next attempt.
 */
export function answerSettlesUpload(err: Pick<MoovError, 'status' | 'kind'>): boolean {
  return err.kind === 'invalid-request' || (err.status !== undefined && err.status !== GATEWAY_TIMEOUT);
}

const GATEWAY_TIMEOUT = 504;

/** The records after which no upload of an earlier attempt is on the wire. */
const SETTLED_PHASES: ReadonlySet<unknown> = new Set<UploadHeartbeat['phase']>(['answered', 'nothing-sent']);

/**
 * Landing times are on the workers' own clocks, because Moov stores a file in real time. Two
 * attempts may run on two workers, whose clocks (NTP-synchronised) differ by far less than this.
 */
export const WORKER_CLOCK_MARGIN_MS = 1_000;

interface AttemptInfo {
  attempt: number;
  heartbeatDetails?: unknown;
}

/** The record an attempt heartbeats while its upload is on the wire. */
export function inFlightUpload(sha256: string, startedAt: number, longestRequestMs: number): InFlightUpload {
  return {
    phase: 'uploading',
    sha256,
    startedAt: new Date(startedAt).toISOString(),
    landsBy: new Date(startedAt + longestRequestMs + WORKER_CLOCK_MARGIN_MS).toISOString(),
  };
}

/**
 * The earlier attempt's upload of these bytes that may still be on its way to Moov, if any.
 *
 * A recorded in-flight upload says so itself. A retry whose earlier attempt left no settled record
 * (its worker died or hung) cannot tell "never sent" from "sent, but the in-flight record was lost":
 * heartbeats are throttled (docs.temporal.io/encyclopedia/detecting-activity-failures#throttling),
 * so a `listing` record followed within the throttle interval by an upload may be all the server
 * got. It assumes the worst: an upload sent just before this attempt started (the earlier attempt
 * had ended by then). So it does when the record was written by an attempt before the previous
 * one: the previous attempt's own heartbeats never reached the server (its worker died within
 * moments), so nothing is known of what it sent.
 */
export function earlierUploadInFlight(info: AttemptInfo, sha256: string, longestRequestMs: number, attemptStartedAt: number): InFlightUpload | undefined {
  if (info.attempt === 1) return undefined;
  const details = info.heartbeatDetails;
  const writtenBy = isRecord(details) && typeof details.attempt === 'number' ? details.attempt : undefined;
  if (writtenBy !== undefined && writtenBy < info.attempt - 1) return assumedInFlight(sha256, longestRequestMs, attemptStartedAt);
  const recorded = recordedInFlight(details);
  if (recorded) return recorded.sha256 === sha256 ? recorded : undefined;
  if (isRecord(details) && SETTLED_PHASES.has(details.phase)) return undefined;
  return assumedInFlight(sha256, longestRequestMs, attemptStartedAt);
}

function assumedInFlight(sha256: string, longestRequestMs: number, attemptStartedAt: number): InFlightUpload {
  return { ...inFlightUpload(sha256, attemptStartedAt, longestRequestMs), startedAt: 'unknown (the earlier attempt ended without a record)' };
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
  const beat = () => recordHeartbeat(details);
  beat();
  const timer = setInterval(beat, heartbeatIntervalMs(context.info.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Waits, in real time and inside the attempt, until the earlier upload can no longer land, keeping
 * its record as this attempt's heartbeat (a crash while waiting leaves it for the next attempt). Not
 * a retry delay: the server may start a retry before its scheduled time (seen after a server
 * restart), and the time-skipping test server skips retry delays while Moov's clock does not.
 */
export async function untilLanded(earlier: InFlightUpload): Promise<void> {
  const waitMs = Date.parse(earlier.landsBy) - Date.now();
  if (waitMs <= 0) return;
  const context = Context.current();
  context.log.info('waiting for an earlier upload to land before looking again', { landsBy: earlier.landsBy, waitMs });
  await withHeartbeats(earlier, () => context.sleep(waitMs));
}

/**
 * Every activity's Temporal timeouts, derived from the longest Moov request the worker may make,
 * so that an attempt is never timed out while its request can still be answered (a timed-out
 * upload whose request then lands is a second file at Moov). Workflow code reads this table; the
 * worker refuses MOOV_*_TIMEOUT_MS values above MAX_HTTP_TIMEOUTS_MS (src/config/worker-config.ts).
 * Timeout semantics: docs.temporal.io/encyclopedia/detecting-activity-failures
 */

/** The largest HTTP timeouts (per undici phase) the start-to-close timeouts below leave room for. */
export const MAX_HTTP_TIMEOUTS_MS = {
  connect: 30_000,
  headers: 60_000,
  body: 60_000,
} as const;

/** The environment variable that sets each phase's timeout, for configuration errors. */
export const HTTP_TIMEOUT_VARIABLES: Readonly<Record<keyof typeof MAX_HTTP_TIMEOUTS_MS, string>> = {
  connect: 'MOOV_CONNECT_TIMEOUT_MS',
  headers: 'MOOV_HEADERS_TIMEOUT_MS',
  body: 'MOOV_BODY_TIMEOUT_MS',
};

/** The longest one Moov request can take when every phase runs to its largest allowed timeout. */
export const LONGEST_REQUEST_MS = MAX_HTTP_TIMEOUTS_MS.connect + MAX_HTTP_TIMEOUTS_MS.headers + MAX_HTTP_TIMEOUTS_MS.body;

/**
 * An attempt's own work besides its Moov requests: mapping results; for file activities, reading and
 * hashing up to 50 files of 10 MB; for `temporal`, one call to the Temporal server.
 */
const LOCAL_WORK_MS = { files: 60_000, temporal: 60_000, other: 10_000 } as const;

/**
 * Every activity heartbeats on a timer for as long as it runs (uploads with their own progress
 * record, the others through the worker's heartbeat interceptor), so a worker that dies is noticed
 * within this rather than after a start-to-close sized for the longest requests. It is not tied to
 * the HTTP timeouts because the heartbeat keeps going while a request is in flight.
 */
export const HEARTBEAT_TIMEOUT_MS = 20_000;

/** A heartbeat every quarter of the timeout: three can be lost or throttled before the attempt times out. */
export function heartbeatIntervalMs(heartbeatTimeoutMs: number): number {
  return Math.max(1, Math.floor(heartbeatTimeoutMs / 4));
}

interface ActivityShape {
  moovRequests: number;
  /** Waits first, up to one request's time, for an earlier attempt's request to land (uploads). */
  landingWait?: boolean;
  /** The activity heartbeats itself, with details a retry reads (uploads); the others get the interceptor's. */
  heartbeats: boolean;
  localWork: keyof typeof LOCAL_WORK_MS;
}

/**
 * How many Moov requests one attempt of each activity makes at most (one table: adding a request to
 * an activity means raising its count here). Heartbeating activities are marked.
 */
export const ACTIVITY_SHAPES = {
  planFileUploads: { moovRequests: 1, heartbeats: true, localWork: 'files' },
  // Capabilities, then the file list; the catalog and the chosen documents are read (hashed) between.
  planAutoFiles: { moovRequests: 2, heartbeats: false, localWork: 'files' },
  // A retry lists, may wait for an earlier upload to land and list again, then uploads.
  uploadFile: { moovRequests: 3, landingWait: true, heartbeats: true, localWork: 'files' },
  createResolutionLink: { moovRequests: 2, heartbeats: false, localWork: 'other' },
  getResolutionLink: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  disableResolutionLink: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  shareConnection: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  updatePaymentLink: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  readRequirements: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  checkFileReviews: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  listConnectedAccounts: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  readAccount: { moovRequests: 1, heartbeats: false, localWork: 'other' },
  // A describe through the worker's Temporal client, no Moov request.
  lastRemediation: { moovRequests: 0, heartbeats: false, localWork: 'temporal' },
} as const satisfies Record<string, ActivityShape>;

export type ActivityName = keyof typeof ACTIVITY_SHAPES;

export interface ActivityTimeouts {
  startToCloseTimeoutMs: number;
  heartbeatTimeoutMs?: number;
}

/** Whether an activity heartbeats itself (then the worker's heartbeat interceptor leaves it alone). */
export function heartbeatsItself(activityType: string): boolean {
  return (ACTIVITY_SHAPES as Record<string, ActivityShape | undefined>)[activityType]?.heartbeats === true;
}

function timeoutsOf(shape: ActivityShape): ActivityTimeouts {
  return {
    startToCloseTimeoutMs: (shape.moovRequests + (shape.landingWait ? 1 : 0)) * LONGEST_REQUEST_MS + LOCAL_WORK_MS[shape.localWork],
    heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
  };
}

/** For a name missing from the table (never an activity: tsc checks the table against them). */
export const ONE_REQUEST_TIMEOUTS: ActivityTimeouts = timeoutsOf({ moovRequests: 1, heartbeats: false, localWork: 'other' });

export const ACTIVITY_TIMEOUTS: Readonly<Record<ActivityName, ActivityTimeouts>> = Object.fromEntries(
  Object.entries(ACTIVITY_SHAPES).map(([name, shape]) => [name, timeoutsOf(shape)]),
) as Record<ActivityName, ActivityTimeouts>;

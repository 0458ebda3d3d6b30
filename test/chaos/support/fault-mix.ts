import type { Fault } from '../../../src/sandbox';

/**
 * The chaos worker's HTTP timeouts (MOOV_*_TIMEOUT_MS), within the limits the worker accepts
 * (MAX_HTTP_TIMEOUTS_MS). The headers timeout is above the slow answer below, so the client is
 * still waiting when it comes.
 */
export const CHAOS_HTTP_TIMEOUTS = { connectTimeoutMs: 5_000, headersTimeoutMs: 40_000, bodyTimeoutMs: 10_000 } as const;

/** Longer than the activities' heartbeat timeout (HEARTBEAT_TIMEOUT_MS, 20 s), shorter than the headers timeout above. */
export const SLOW_ANSWER_MS = 35_000;

/** How long after the client gave up Moov applies an apply-late write. */
export const LANDS_AFTER_MS = 5_000;

/** Every Moov route a remediation uses; writes also get the kinds whose effect outlives the answer. */
export const CHAOS_ROUTES: readonly { route: string; write: boolean }[] = [
  { route: 'GET /accounts/:accountID/files', write: false },
  { route: 'POST /accounts/:accountID/files', write: true },
  { route: 'POST /accounts/:accountID/resolution-links', write: true },
  { route: 'GET /accounts/:accountID/resolution-links', write: false },
  { route: 'GET /accounts/:accountID/resolution-links/:code', write: false },
  { route: 'POST /accounts/:accountID/connections', write: true },
  { route: 'PATCH /accounts/:accountID/payment-links/:code', write: true },
];

const lateWrite = (answer: 'reset' | 'status-504' | 'hang'): Fault => ({ applyLate: { afterMs: LANDS_AFTER_MS, answer } });

/** The mix a faulted request draws from, one entry per kind (docs/sandbox.md, "Faults"). */
const FAULT_MIX: readonly { fault: Fault; writesOnly: boolean }[] = [
  { fault: { status: 429, headers: { 'Retry-After': '1' } }, writesOnly: false },
  { fault: { status: 429, headers: { 'X-Retry-In': '700' } }, writesOnly: false },
  { fault: { status: 429, headers: { 'retry-after-ms': '500' } }, writesOnly: false },
  { fault: { status: 500 }, writesOnly: false },
  { fault: { status: 502 }, writesOnly: false },
  { fault: { status: 503 }, writesOnly: false },
  { fault: { status: 504 }, writesOnly: false },
  { fault: { latencyMs: 1500 }, writesOnly: false },
  { fault: { reset: true }, writesOnly: false },
  { fault: { slowAnswerMs: SLOW_ANSWER_MS }, writesOnly: false },
  // "Moov did it but the answer was lost": at once, and after the client gave up.
  { fault: { applyThenFail: 'status-500' }, writesOnly: true },
  { fault: { applyThenFail: 'reset' }, writesOnly: true },
  { fault: lateWrite('reset'), writesOnly: true },
  { fault: lateWrite('status-504'), writesOnly: true },
  { fault: lateWrite('hang'), writesOnly: true },
];

export function faultMixFor(write: boolean): Fault[] {
  return FAULT_MIX.filter((entry) => write || !entry.writesOnly).map((entry) => entry.fault);
}

const UPLOAD = 'POST /accounts/:accountID/files';
const CREATE_LINK = 'POST /accounts/:accountID/resolution-links';
const SHARE = 'POST /accounts/:accountID/connections';
const UPDATE_PAYMENT_LINK = 'PATCH /accounts/:accountID/payment-links/:code';

/**
 * Faults every run gets at least once, however the dice fall: every kind on an upload (where a
 * lost or late answer can store a file twice), and slow and late answers on the other writes.
 * Entry i goes to merchant i (modulo the fleet), scripted before the random mix so it fires first.
 */
export const GUARANTEED_FAULTS: readonly { route: string; fault: Fault }[] = [
  ...FAULT_MIX.map(({ fault }) => ({ route: UPLOAD, fault })),
  { route: CREATE_LINK, fault: { slowAnswerMs: SLOW_ANSWER_MS } },
  { route: CREATE_LINK, fault: lateWrite('hang') },
  { route: SHARE, fault: lateWrite('reset') },
  { route: UPDATE_PAYMENT_LINK, fault: lateWrite('status-504') },
  { route: UPDATE_PAYMENT_LINK, fault: { slowAnswerMs: SLOW_ANSWER_MS } },
];

/** The steps after the uploads, in whichever order the workflow takes them. */
export const WRITES_AFTER_UPLOADS: readonly string[] = [SHARE, UPDATE_PAYMENT_LINK, CREATE_LINK];

/**
 * For a merchant whose remediation is restarted mid-run: its payment-link update (never the first
 * write after the uploads, whether the link comes first or last) answers slowly, so the restart,
 * once Moov has seen that first write, lands while the run is still going rather than after it
 * completed. An update already sent still lands, from the terminated run, with the same values.
 */
export const HOLD_BEFORE_RESTART: { route: string; fault: Fault } = { route: UPDATE_PAYMENT_LINK, fault: { slowAnswerMs: SLOW_ANSWER_MS } };

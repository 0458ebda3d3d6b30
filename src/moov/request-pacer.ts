import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Moov's limit as it states it: requests per second per account ID, 40 (10 in test mode)
 * (docs.moov.io/api/rate-limits), and optionally one budget for the partner as a whole.
 */
export interface RequestPacing {
  accountPerSecond: number;
  partnerPerSecond?: number;
}

/**
 * What the pacer gives up of each limit, so that requests it spaces exactly stay within the limit
 * as Moov counts them: the event loop and the network can bunch requests by up to
 * margin ÷ rate (25 ms at 40/s) before a 1-second window at Moov holds one too many.
 */
export const PACING_MARGIN = 0.025;

/** The sustained rate the worker paces to for a limit: the pacer's and the task queue's alike. */
export function pacedRate(limitPerSecond: number): number {
  return limitPerSecond * (1 - PACING_MARGIN);
}

/** The key of partner-level requests (`GET /accounts`), which Moov counts against the partner's own account. */
const PARTNER_LEVEL = '';
/** The key of the partner-wide window (never an account ID, which Moov writes as a UUID). */
const PARTNER_WINDOW = '*partner';

/** Idle accounts are forgotten once this many are tracked (each costs a map entry). */
const FORGET_IDLE_ABOVE = 1024;

/** Moov's limits are per second. */
const WINDOW_MS = 1000;

/**
 * Whole requests a second of departures may hold: the paced rate, rounded up, and never above
 * the limit (40/s: 39, the one spare for jitter on the way to Moov; 2/s: 2).
 */
function perWindow(limitPerSecond: number): number {
  return Math.max(1, Math.min(Math.floor(limitPerSecond), Math.ceil(pacedRate(limitPerSecond))));
}

/**
 * Spaces one worker's Moov requests so that no account, and with a partner cap no partner, is
 * sent more than its limit in any 1-second window.
 *
 * The Temporal server paces activities per account across all workers
 * (src/config/task-queue-config.ts), but its limiter (GCRA with one second of burst) lets up to
 * one second's worth through at once after a key was idle: about 2 × rate + 1 in one second. This
 * pacer takes that burst apart at the request, where Moov counts: each key's requests leave at
 * least 1 ÷ pacedRate apart (no burst), so a window of one second never holds more than the limit.
 * It also covers what the server cannot see, such as an activity that makes two requests.
 *
 * Each request books its slot when it asks (the later of its account's and the partner's next
 * free times), so waiting requests go in the order they asked and none is starved. Slots are
 * spaced, but a busy event loop can release several late at once: so each request also checks,
 * as it leaves, the requests that really left in the last second (per key, the last `limit` of
 * them), and waits while that second is full. Bookings are
 * per process: workers that share keys each pace their own requests, and the server's rate keeps
 * their sum at the limit over time (docs/deploying.md, "Per-account pacing").
 */
export class RequestPacer {
  readonly #accountInterval: number;
  readonly #partnerInterval: number | undefined;
  /** Per account, the earliest moment (performance.now) its next request may leave. */
  readonly #accountNextAt = new Map<string, number>();
  #partnerNextAt = 0;
  /** When the last requests really left (at most a window's worth), per account ('' for partner-level requests) and for the whole partner. */
  readonly #departures = new Map<string, number[]>();
  readonly #accountLimit: number;
  readonly #partnerLimit: number | undefined;
  readonly #now: () => number;

  constructor(pacing: RequestPacing, now: () => number = () => performance.now()) {
    for (const [name, rate] of Object.entries(pacing)) {
      if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`${name} must be a positive number (got ${rate})`);
    }
    this.#accountInterval = 1000 / pacedRate(pacing.accountPerSecond);
    this.#partnerInterval = pacing.partnerPerSecond !== undefined ? 1000 / pacedRate(pacing.partnerPerSecond) : undefined;
    this.#accountLimit = perWindow(pacing.accountPerSecond);
    this.#partnerLimit = pacing.partnerPerSecond !== undefined ? perWindow(pacing.partnerPerSecond) : undefined;
    this.#now = now;
  }

  /**
   * Books the next slot for a request to this account (undefined: a partner-level request) and
   * waits for it. Rejects with an AbortError if the signal aborts first: then nothing was sent.
   */
  async acquire(accountID: string | undefined, signal?: AbortSignal): Promise<void> {
    const options = signal ? { signal } : {};
    const waitMs = this.book(accountID);
    if (waitMs > 0) await sleep(waitMs, undefined, options);
    for (let fullForMs = this.depart(accountID); fullForMs > 0; fullForMs = this.depart(accountID)) await sleep(fullForMs, undefined, options);
    signal?.throwIfAborted();
  }

  /**
   * Records a departure now if the last second has room for it under every limit that applies,
   * and returns 0; else records nothing and returns how long until the oldest request in the way
   * has left the window.
   */
  depart(accountID: string | undefined): number {
    const now = this.#now();
    const windows: [string, number][] = [[accountID ?? PARTNER_LEVEL, this.#accountLimit]];
    if (this.#partnerLimit !== undefined) windows.push([PARTNER_WINDOW, this.#partnerLimit]);
    let fullForMs = 0;
    for (const [key, limit] of windows) {
      const recent = this.#departures.get(key);
      if (recent && recent.length >= limit) fullForMs = Math.max(fullForMs, recent[recent.length - limit]! + WINDOW_MS - now);
    }
    if (fullForMs > 0) return fullForMs;
    for (const [key, limit] of windows) {
      const recent = this.#departures.get(key) ?? [];
      recent.push(now);
      if (recent.length > limit) recent.splice(0, recent.length - limit);
      this.#departures.set(key, recent);
    }
    return 0;
  }

  /** Books the slot and returns how long until it (0: now). */
  book(accountID: string | undefined): number {
    const now = this.#now();
    if (this.#accountNextAt.size > FORGET_IDLE_ABOVE) this.#forgetIdle(now);
    const key = accountID ?? PARTNER_LEVEL;
    const slot = Math.max(now, this.#accountNextAt.get(key) ?? now, this.#partnerInterval !== undefined ? this.#partnerNextAt : now);
    this.#accountNextAt.set(key, slot + this.#accountInterval);
    if (this.#partnerInterval !== undefined) this.#partnerNextAt = slot + this.#partnerInterval;
    return slot - now;
  }

  /** Accounts whose next free moment and last departures have passed hold nothing: dropping them changes nothing. */
  #forgetIdle(now: number): void {
    for (const [key, nextAt] of this.#accountNextAt) if (nextAt <= now) this.#accountNextAt.delete(key);
    for (const [key, recent] of this.#departures) if (key !== PARTNER_WINDOW && recent.at(-1)! + WINDOW_MS <= now) this.#departures.delete(key);
  }
}

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
 * A request the pacer let go. It counts against its windows from the moment it leaves the worker
 * (`sent`: its headers go to the socket, where Moov starts counting it, or it ends without ever
 * getting there); until then, whatever its age.
 */
export interface Departure {
  /** It left the worker: it counts from now for one second. Only the first call counts. */
  sent(): void;
}

class DepartureRecord implements Departure {
  /** performance.now of its leaving once it left; until then, of its release. */
  at: number;
  left = false;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.at = now();
  }

  sent(): void {
    if (this.left) return;
    this.left = true;
    this.at = this.#now();
  }

  /** Whether it still counts in the window that ends at `now`. */
  counts(now: number): boolean {
    return !this.left || this.at + WINDOW_MS > now;
  }
}

/**
 * How long a request waits to look again when its window is full of requests that have not left:
 * they count until undici writes them (a connection being opened, or every connection busy),
 * which no clock here can foresee. A fortieth of a second: one slot at Moov's 40/s. Whoever looks
 * first after one leaves goes first, so in that rare state the order of asking is not kept.
 */
const NOT_LEFT_RECHECK_MS = 25;

/** What `depart` answers: the request may go (it counts from when it leaves: sent, aborted or failed), or how long to wait before asking again. */
export type DepartOutcome = { departure: Departure; waitMs: 0 } | { departure?: undefined; waitMs: number };

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
 * spaced, but a busy event loop can release several late at once, and undici can hold a released
 * request until a connection is free and then write several together: so each request also
 * checks, as it goes, the requests of the last second as they reached the socket (the caller
 * reports each through its Departure; one not sent yet counts until it is sent, aborted or fails), and waits
 * while that second is full. Bookings are per process: workers that share keys each pace their
 * own requests, and the server's rate keeps their sum at the limit over time (docs/deploying.md,
 * "Per-account pacing").
 */
export class RequestPacer {
  readonly #accountInterval: number;
  readonly #partnerInterval: number | undefined;
  /** Per account, the earliest moment (performance.now) its next request may leave. */
  readonly #accountNextAt = new Map<string, number>();
  #partnerNextAt = 0;
  /** The requests that count in the last second, per account ('' for partner-level requests) and for the whole partner. */
  readonly #departures = new Map<string, DepartureRecord[]>();
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
   * The caller reports the request's write (or its end without one) through the answer.
   */
  async acquire(accountID: string | undefined, signal?: AbortSignal): Promise<Departure> {
    const options = signal ? { signal } : {};
    const waitMs = this.book(accountID);
    if (waitMs > 0) await sleep(waitMs, undefined, options);
    for (;;) {
      signal?.throwIfAborted();
      const outcome = this.depart(accountID);
      if (outcome.departure) return outcome.departure;
      await sleep(outcome.waitMs, undefined, options);
    }
  }

  /**
   * Lets a request go now if the last second has room for it under every limit that applies;
   * else records nothing and answers how long until the request in the way has left the window.
   */
  depart(accountID: string | undefined): DepartOutcome {
    const now = this.#now();
    const windows: [DepartureRecord[], number][] = [[this.#window(accountID ?? PARTNER_LEVEL, now), this.#accountLimit]];
    if (this.#partnerLimit !== undefined) windows.push([this.#window(PARTNER_WINDOW, now), this.#partnerLimit]);
    let waitMs = 0;
    for (const [counted, limit] of windows) if (counted.length >= limit) waitMs = Math.max(waitMs, untilRoom(counted, limit, now));
    if (waitMs > 0) return { waitMs };
    const departure = new DepartureRecord(this.#now);
    for (const [counted] of windows) counted.push(departure);
    return { departure, waitMs: 0 };
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

  /** The key's requests that still count at `now` (the others dropped). */
  #window(key: string, now: number): DepartureRecord[] {
    const counted = (this.#departures.get(key) ?? []).filter((d) => d.counts(now));
    this.#departures.set(key, counted);
    return counted;
  }

  /** Accounts whose next free moment has passed and whose requests no longer count hold nothing: dropping them changes nothing. */
  #forgetIdle(now: number): void {
    for (const [key, nextAt] of this.#accountNextAt) if (nextAt <= now) this.#accountNextAt.delete(key);
    for (const [key, recent] of this.#departures) if (key !== PARTNER_WINDOW && !recent.some((d) => d.counts(now))) this.#departures.delete(key);
  }
}

/**
 * How long until a full window has room for one more: until enough of the requests that left the
 * worker have left the window too. One that has not left the worker stays in the window until a
 * second after it does, so when those alone fill it, the answer is to look again shortly.
 */
function untilRoom(counted: DepartureRecord[], limit: number, now: number): number {
  const mustLeave = counted.length - limit + 1;
  const leftAt = counted.filter((d) => d.left).map((d) => d.at).sort((a, b) => a - b);
  return leftAt.length >= mustLeave ? Math.max(1, leftAt[mustLeave - 1]! + WINDOW_MS - now) : NOT_LEFT_RECHECK_MS;
}

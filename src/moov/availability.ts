/**
 * When Moov fails every call, this worker stops sending them: a circuit breaker
 * (martinfowler.com/bliki/CircuitBreaker.html) in front of the Moov client. While it is open, a
 * request is held back (it fails at once, nothing is sent) except one probe at a time, at most
 * every `probeIntervalMs`; the first answer from Moov closes it again. With every worker doing
 * this, the fleet's requests to a Moov that is down stay under workers ÷ probe interval, however
 * many remediations are waiting; the remediations themselves park with durable timers
 * (src/workflows/moov-outage.ts), so the Temporal server is not kept busy either.
 *
 * Hand-written rather than a library's: it must count only the outcomes that mean Moov is down
 * (the retry table's `outage` column) and run on a clock the tests move.
 */

export interface AvailabilitySettings {
  /** Consecutive calls that found Moov down (5xx, no answer) before the breaker opens. */
  failuresToOpen: number;
  /** How many different accounts those calls addressed, at least: one account's failures are that account's. */
  accountsToOpen: number;
  /** While open, one probe is let through at most this often. */
  probeIntervalMs: number;
}

export const DEFAULT_AVAILABILITY: Readonly<AvailabilitySettings> = { failuresToOpen: 10, accountsToOpen: 3, probeIntervalMs: 5_000 };

/** Whether a request may go: `probe` when it is the one let through to see whether Moov is back. */
export type Admission = { go: true; probe: boolean } | { go: false; failingSince: Date };

/** What one call told about Moov: it answered, it looked down, or nothing (aborted, never sent). */
export type CallVerdict = 'answered' | 'down' | 'unknown';

export interface AvailabilityChange {
  open: boolean;
  /** When the calls that opened it began failing; the time it closed, when it closes. */
  at: Date;
}

export class MoovAvailability {
  readonly #settings: AvailabilitySettings;
  readonly #now: () => number;
  readonly #onChange: ((change: AvailabilityChange) => void) | undefined;
  #failures = 0;
  #failingSince: number | undefined;
  readonly #failingAccounts = new Set<string>();
  #open = false;
  #probeInFlight = false;
  #lastProbeAt = Number.NEGATIVE_INFINITY;

  constructor(settings: Partial<AvailabilitySettings> = {}, options: { now?: () => number; onChange?: (change: AvailabilityChange) => void } = {}) {
    this.#settings = { ...DEFAULT_AVAILABILITY, ...settings };
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  admit(): Admission {
    if (!this.#open) return { go: true, probe: false };
    const now = this.#now();
    if (this.#probeInFlight || now - this.#lastProbeAt < this.#settings.probeIntervalMs) {
      return { go: false, failingSince: new Date(this.#failingSince ?? now) };
    }
    this.#probeInFlight = true;
    this.#lastProbeAt = now;
    return { go: true, probe: true };
  }

  /** `account`: the account the call addressed ('' for partner-level calls). */
  settle(admission: Admission, verdict: CallVerdict, account: string): void {
    if (!admission.go) return;
    if (admission.probe) this.#probeInFlight = false;
    if (verdict === 'answered') this.#answered();
    else if (verdict === 'down') this.#down(account);
  }

  #answered(): void {
    this.#failures = 0;
    this.#failingSince = undefined;
    this.#failingAccounts.clear();
    if (!this.#open) return;
    this.#open = false;
    this.#notify({ open: false, at: new Date(this.#now()) });
  }

  #down(account: string): void {
    this.#failingSince ??= this.#now();
    this.#failures += 1;
    this.#failingAccounts.add(account);
    if (this.#open || this.#failures < this.#settings.failuresToOpen || this.#failingAccounts.size < this.#settings.accountsToOpen) return;
    this.#open = true;
    // The first probe comes one interval after opening: the calls that opened it just found Moov down.
    this.#lastProbeAt = this.#now();
    this.#notify({ open: true, at: new Date(this.#failingSince) });
  }

  #notify(change: AvailabilityChange): void {
    try {
      this.#onChange?.(change);
    } catch {
      // A metrics or logging hook must not change what the breaker decides.
    }
  }
}

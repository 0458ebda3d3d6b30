import type { BusinessClock } from '../clock';

// setTimeout's longest delay; a longer wait is re-armed when it ends (Node fires a longer one at once).
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
  /** Business-clock due time. */
  dueAtMs: number;
  /** The same wait in real time: a clock set back (skew) must not postpone the timer. */
  realDueMs: number;
  fire: () => void;
  handle?: NodeJS.Timeout;
}

/**
 * Timers due at a time on the sandbox's business clock: a retry due at 10:05 fires at once when a
 * test advances the clock past 10:05 (`POST /_sandbox/clock`), so the 24-hour schedule can be
 * checked without waiting for it. Each also fires once its wait has passed in real time, so a
 * clock skewed backwards never holds it back. Timers never hold the process open.
 */
export class ClockTimers {
  private readonly timers = new Set<Timer>();
  private readonly unsubscribe: () => void;

  constructor(private readonly clock: BusinessClock) {
    this.unsubscribe = clock.onChange(() => {
      for (const timer of this.timers) this.arm(timer);
    });
  }

  /** Runs `fire` once `waitMs` has passed on the business clock (or in real time); returns the cancel. */
  after(waitMs: number, fire: () => void): () => void {
    const timer: Timer = { dueAtMs: this.clock.nowMs() + waitMs, realDueMs: this.realNowMs() + waitMs, fire };
    this.timers.add(timer);
    this.arm(timer);
    return () => this.cancel(timer);
  }

  cancelAll(): void {
    for (const timer of this.timers) this.cancel(timer);
  }

  dispose(): void {
    this.cancelAll();
    this.unsubscribe();
  }

  private arm(timer: Timer): void {
    clearTimeout(timer.handle);
    const wait = Math.min(Math.max(0, Math.min(timer.dueAtMs - this.clock.nowMs(), timer.realDueMs - this.realNowMs())), MAX_TIMER_MS);
    timer.handle = setTimeout(() => {
      if (this.clock.nowMs() < timer.dueAtMs && this.realNowMs() < timer.realDueMs) return this.arm(timer);
      this.cancel(timer);
      timer.fire();
    }, wait);
    timer.handle.unref();
  }

  private realNowMs(): number {
    return this.clock.nowMs() - this.clock.offset;
  }

  private cancel(timer: Timer): void {
    clearTimeout(timer.handle);
    this.timers.delete(timer);
  }
}

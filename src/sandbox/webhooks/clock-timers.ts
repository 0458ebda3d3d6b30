import type { BusinessClock } from '../clock';

// setTimeout's longest delay; a longer wait is re-armed when it ends (Node fires a longer one at once).
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
  dueAtMs: number;
  fire: () => void;
  handle?: NodeJS.Timeout;
}

/**
 * Timers due at a time on the sandbox's business clock, not after a real delay: a retry due at
 * 10:05 fires at once when a test advances the clock past 10:05 (`POST /_sandbox/clock`), so the
 * 24-hour schedule can be checked without waiting for it. Timers never hold the process open.
 */
export class ClockTimers {
  private readonly timers = new Set<Timer>();
  private readonly unsubscribe: () => void;

  constructor(private readonly clock: BusinessClock) {
    this.unsubscribe = clock.onChange(() => {
      for (const timer of this.timers) this.arm(timer);
    });
  }

  /** Runs `fire` once the business clock reaches `dueAtMs`; returns the cancel. */
  at(dueAtMs: number, fire: () => void): () => void {
    const timer: Timer = { dueAtMs, fire };
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
    const wait = Math.min(Math.max(0, timer.dueAtMs - this.clock.nowMs()), MAX_TIMER_MS);
    timer.handle = setTimeout(() => {
      if (this.clock.nowMs() < timer.dueAtMs) return this.arm(timer);
      this.cancel(timer);
      timer.fire();
    }, wait);
    timer.handle.unref();
  }

  private cancel(timer: Timer): void {
    clearTimeout(timer.handle);
    this.timers.delete(timer);
  }
}

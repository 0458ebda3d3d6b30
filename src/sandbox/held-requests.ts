import { setMaxListeners } from 'node:events';

/**
 * Requests the sandbox has received in full but not acted on yet: slow answers and apply-late
 * writes. A check of Moov's final state is only sound once none is held, because a held write can
 * still land; `settled()` says when that is.
 */
export class HeldRequests {
  private heldNow = 0;
  private finishedCount = 0;
  private cancelledCount = 0;
  private waiters: (() => void)[] = [];
  private generation = heldGeneration();

  constructor(private readonly closing: AbortSignal) {
    closing.addEventListener('abort', () => this.cancelAll(), { once: true });
  }

  /**
   * Waits for `start` (for example, the client giving up), then `afterMs`, then runs `act`: the
   * write lands. Cancelled by a reset or by closing the sandbox, in which case `act` never runs.
   */
  async hold(start: Promise<void>, afterMs: number, act: () => Promise<void>): Promise<void> {
    const signal = this.generation.signal;
    this.heldNow += 1;
    try {
      await untilAborted(start, signal);
      await delay(afterMs, signal);
      if (signal.aborted) {
        this.cancelledCount += 1;
        return;
      }
      await act();
      this.finishedCount += 1;
    } finally {
      this.heldNow -= 1;
      if (this.heldNow === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Since the sandbox started (a reset cancels what is held and counts it as cancelled). */
  counts(): { held: number; finished: number; cancelled: number } {
    return { held: this.heldNow, finished: this.finishedCount, cancelled: this.cancelledCount };
  }

  /** Resolves once nothing is held (at once when nothing is). */
  settled(): Promise<void> {
    if (this.heldNow === 0 || this.closing.aborted) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `POST /_sandbox/reset`: held writes must not land on the fresh state. */
  cancelAll(): void {
    this.generation.abort();
    this.generation = heldGeneration();
  }
}

/** Every held request listens on it until it lands, so there is no useful listener limit. */
function heldGeneration(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** `start`, or the abort if it comes first; the listener does not outlive the wait. */
function untilAborted(start: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    start.then(done, done);
  });
}

export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The sandbox's business clock: real time plus an offset that tests move forward with
 * `POST /_sandbox/clock` (`advanceMs`) or set outright to model Moov's clock running ahead of or
 * behind ours (`offsetMs`). It drives createdOn/expiresOn and computed statuses, never the rate
 * limiter (which must measure real elapsed time).
 */
export class BusinessClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly realNow: () => number = Date.now) {}

  nowMs(): number {
    return this.realNow() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  iso(): string {
    return this.now().toISOString();
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Time only moves forward: a clock going back would un-expire links. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceMs must be a non-negative number');
    this.offsetMs += ms;
    this.changed();
    return this.now();
  }

  /**
   * Clock skew: Moov's clock is `ms` ahead of real time (behind when negative). Unlike `advance`
   * this may move the clock back, which is the point: a skewed Moov stamps createdOn/expiresOn
   * minutes off from its clients' clocks.
   */
  setOffset(ms: number): Date {
    if (!Number.isInteger(ms)) throw new RangeError('offsetMs must be an integer');
    this.offsetMs = ms;
    this.changed();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
    this.changed();
  }

  /** Called after every change of the offset (timers due on this clock re-arm); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

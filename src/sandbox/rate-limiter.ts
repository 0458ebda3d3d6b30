import { performance } from 'node:perf_hooks';

export type RateDecision = { allowed: true } | { allowed: false; retryInMs: number };

export interface RateLimiterOptions {
  /** Tokens added per second; 0 disables limiting. */
  ratePerSecond: number;
  /** Bucket size; defaults to ratePerSecond (one second of burst, as Moov documents it). */
  burst?: number;
  /** Monotonic milliseconds; injectable for unit tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token bucket per key (Moov limits per account ID). */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(opts: RateLimiterOptions) {
    if (!Number.isFinite(opts.ratePerSecond) || opts.ratePerSecond < 0) {
      throw new RangeError('ratePerSecond must be >= 0');
    }
    this.rate = opts.ratePerSecond;
    this.capacity = Math.max(1, opts.burst ?? opts.ratePerSecond);
    this.now = opts.now ?? (() => performance.now());
  }

  get enabled(): boolean {
    return this.rate > 0;
  }

  take(key: string): RateDecision {
    if (!this.enabled) return { allowed: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.updatedAt) * this.rate) / 1000);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // The exact time until one whole token has been refilled, rounded up so a client that waits
    // exactly this long is admitted.
    const retryInMs = Math.max(1, Math.ceil(((1 - bucket.tokens) * 1000) / this.rate));
    return { allowed: false, retryInMs };
  }

  reset(): void {
    this.buckets.clear();
  }
}

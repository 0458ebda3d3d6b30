/**
 * How long the sandbox waits after each failed delivery attempt before the next one. Moov retries
 * a delivery that got no 2xx "for up to 24 hours" without publishing its exact schedule
 * (docs.moov.io/guides/webhooks/), so this table is the sandbox's own backoff: quick retries for
 * a receiver that blinked, then doubling gaps, 10 attempts within 23 h 36 min of the first. After the
 * last entry the delivery is `failed`.
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  10_000, // 10 s
  60_000, // 1 min
  5 * 60_000, // 5 min
  30 * 60_000, // 30 min
  60 * 60_000, // 1 h
  2 * 60 * 60_000, // 2 h
  4 * 60 * 60_000, // 4 h
  8 * 60 * 60_000, // 8 h
  8 * 60 * 60_000, // 8 h
];

/** The wait after failed attempt number `attempt` (1-based), or undefined when that was the last one. */
export function retryDelayAfter(delaysMs: readonly number[], attempt: number): number | undefined {
  return delaysMs[attempt - 1];
}

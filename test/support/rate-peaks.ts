/**
 * Peaks of request rates as the sandbox saw them (its log's `at` is each request's arrival time),
 * for the pacing tests: the most requests in any sliding window, and in one calendar second.
 */

/** The most events within any `windowMs`. */
export function maxInSlidingWindow(timesMs: number[], windowMs: number): number {
  const times = [...timesMs].sort((x, y) => x - y);
  let max = 0;
  for (let start = 0, end = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    max = Math.max(max, end - start);
  }
  return max;
}

/** The most events in one calendar second. */
export function maxInFixedSeconds(timesMs: number[]): number {
  const counts = new Map<number, number>();
  for (const t of timesMs) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

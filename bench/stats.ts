import { maxInSlidingWindow } from '../test/support/rate-peaks';
import type { SandboxRequest } from '../test/support/sandbox-admin';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; values in whatever unit they come in. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1]! };
}

export const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

/** What the sandbox saw during one run, from its request log. */
export interface RequestStats {
  total: number;
  /** Refused by the sandbox's rate limiter (429 without an injected fault). */
  rateLimited429: number;
  /** 429s the fault rules injected (with X-Retry-In). */
  injected429: number;
  /** Every request a fault rule shaped (5xx, 429, apply-then-fail). */
  faulted: number;
  /** Requests that were neither refused by the limiter nor faulted: the work itself. */
  clean: number;
  firstAt: number;
  lastAt: number;
  /** total / (lastAt - firstAt). */
  perSecond: number;
  /** Most requests that arrived within one calendar second. */
  peakPerSecond: number;
  /** Most requests of the whole partner within any sliding second (what a partner-wide limit counts). */
  peakPartnerSliding: number;
  /** Most requests of one account within any sliding second (what Moov's per-account limit counts). */
  peakAccountSliding: number;
  byRoute: Record<string, number>;
  /** The log keeps 10,000 entries; true when older ones were dropped and counts are a lower bound. */
  truncated: boolean;
}

function peakPerAccount(entries: SandboxRequest[]): number {
  const byAccount = new Map<string, number[]>();
  for (const e of entries) {
    if (!e.accountID) continue;
    const times = byAccount.get(e.accountID) ?? [];
    times.push(Date.parse(e.at));
    byAccount.set(e.accountID, times);
  }
  let peak = 0;
  for (const times of byAccount.values()) peak = Math.max(peak, maxInSlidingWindow(times, 1000));
  return peak;
}

export function requestStats(entries: SandboxRequest[], expectedFirstSeq?: number): RequestStats {
  const times = entries.map((e) => Date.parse(e.at));
  // Reduced, not spread: a run's log can hold more entries than a call takes arguments.
  const firstAt = times.reduce((a, b) => Math.min(a, b), Infinity);
  const lastAt = times.reduce((a, b) => Math.max(a, b), -Infinity);
  const perSecondBuckets = new Map<number, number>();
  for (const t of times) perSecondBuckets.set(Math.floor(t / 1000), (perSecondBuckets.get(Math.floor(t / 1000)) ?? 0) + 1);
  const byRoute: Record<string, number> = {};
  let rateLimited429 = 0;
  let injected429 = 0;
  let faulted = 0;
  for (const e of entries) {
    byRoute[e.route] = (byRoute[e.route] ?? 0) + 1;
    if (e.faultId) faulted += 1;
    if (e.status === 429) {
      if (e.faultId) injected429 += 1;
      else rateLimited429 += 1;
    }
  }
  const spanS = (lastAt - firstAt) / 1000;
  return {
    total: entries.length,
    rateLimited429,
    injected429,
    faulted,
    clean: entries.length - rateLimited429 - faulted,
    firstAt,
    lastAt,
    perSecond: spanS > 0 ? entries.length / spanS : NaN,
    peakPerSecond: Math.max(0, ...perSecondBuckets.values()),
    peakPartnerSliding: maxInSlidingWindow(times, 1000),
    peakAccountSliding: peakPerAccount(entries),
    byRoute,
    truncated: expectedFirstSeq !== undefined && entries.length > 0 && entries[0]!.seq > expectedFirstSeq,
  };
}

/**
 * The issue's fault mix on every route a remediation uses: 10 % 5xx, 5 % 429 with X-Retry-In,
 * 2 % apply-then-fail (the change is made, then the answer is a 500 or a dropped connection).
 * One rule per route fires on 17 % of requests and picks an entry uniformly, so the list carries
 * the 10:5:2 weights.
 */
export function issueFaultRules(routes: string[]): Record<string, unknown>[] {
  const serverErrors = [500, 502, 503, 504, 500, 502, 503, 504, 500, 503].map((status) => ({ status }));
  const rateLimited = Array.from({ length: 5 }, () => ({ status: 429, headers: { 'X-Retry-In': '1000' } }));
  const lostAnswers = [{ applyThenFail: 'status-500' }, { applyThenFail: 'reset' }];
  return routes.map((route) => ({ route, probability: 0.17, faults: [...serverErrors, ...rateLimited, ...lostAnswers] }));
}

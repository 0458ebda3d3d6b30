import { rate } from '../../bench/report';
import { issueFaultRules, percentiles, requestStats } from '../../bench/stats';
import type { SweepRun } from '../../bench/sweep';
import type { SandboxRequest } from '../support/sandbox-admin';

/** The figures docs/benchmarks.md publishes come from these functions; their arithmetic is checked here. */

const at = (ms: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, 0) + ms).toISOString();
const entry = (seq: number, ms: number, status: number, faultId?: string): SandboxRequest => ({
  seq,
  at: at(ms),
  method: 'GET',
  path: '/accounts/a/files',
  route: 'GET /accounts/:accountID/files',
  status,
  requestId: `r${seq}`,
  ...(faultId && { faultId }),
});

test('requestStats: limiter 429s apart from injected ones; clean = neither; rate over the span; peak per second', () => {
  const stats = requestStats(
    [entry(1, 0, 200), entry(2, 100, 429), entry(3, 200, 429, 'f1'), entry(4, 900, 503, 'f1'), entry(5, 2000, 200)],
    1,
  );
  expect(stats).toMatchObject({ total: 5, rateLimited429: 1, injected429: 1, faulted: 2, clean: 2, perSecond: 2.5, peakPerSecond: 4, truncated: false });
  expect(requestStats([entry(7, 0, 200)], 1).truncated).toBe(true);
});

test('percentiles are nearest-rank', () => {
  expect(percentiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toEqual({ p50: 5, p95: 10, p99: 10, max: 10 });
});

test('the benchmark fault mix: 17 % of requests, weighted 10 : 5 : 2', () => {
  const [rule] = issueFaultRules(['GET /accounts/:accountID/files']) as { probability: number; faults: Record<string, unknown>[] }[];
  expect(rule!.probability).toBe(0.17);
  const kinds = rule!.faults.map((f) => (f.applyThenFail ? 'lost' : f.status === 429 ? '429' : '5xx'));
  expect(kinds.filter((k) => k === '5xx')).toHaveLength(10);
  expect(kinds.filter((k) => k === '429')).toHaveLength(5);
  expect(kinds.filter((k) => k === 'lost')).toHaveLength(2);
});

function run(overrides: Partial<SweepRun>): SweepRun {
  const requests = { ...requestStats([entry(1, 0, 200), entry(2, 1000, 200)]), total: 1500, clean: 1500, rateLimited429: 0 };
  return {
    system: 'temporal',
    variant: 'default',
    limit: 'partner',
    faults: false,
    accounts: 300,
    completed: 300,
    failed: 0,
    failures: {},
    makespanS: 40,
    accountsPerS: 7.5,
    goodputPerS: 7.5,
    requests,
    requestsPerAccount: 5,
    cleanRequestsPerAccount: 5,
    share429: 0,
    latencyS: percentiles([1]),
    audit: { duplicateFiles: 0, duplicateLinks: 0, duplicateConnections: 0, duplicates: 0, missing: 0, exact: 300, exactAndDone: 300 },
    cpuMsPerRemediation: { client: 60, sandboxAndBench: 10 },
    faultsByKind: {},
    config: {},
    ...overrides,
  };
}

test('rate: the ceiling is 40/s ÷ the fault-free requests per account of the same system, and goodput counts only exact accounts', () => {
  const [clean, faulted, plain] = rate(
    [
      run({}),
      run({ faults: true, goodputPerS: 5.6, accountsPerS: 5.6, cleanRequestsPerAccount: 5.1, share429: 0.036 }),
      run({ system: 'plain-sdk', cleanRequestsPerAccount: 4, accountsPerS: 10, goodputPerS: 9.5, share429: 0.22, config: {} }),
    ],
    40,
  );
  expect(clean!.ceilings).toEqual({ issue: 8, binding: 8, nominalRequestsPerAccount: 5 });
  expect(clean!.goodputRatio).toBe(0.938);
  expect(clean!.meetsTarget).toBe(true);
  // The faults run is measured against the fault-free run's 5 requests, not its own.
  expect(faulted!.ceilings.issue).toBe(8);
  expect(faulted!.goodputRatio).toBe(0.7);
  expect(faulted!.meetsTarget).toBe(false);
  // The script: its own 4 requests; 22 % 429s miss the target even above the ceiling.
  expect(plain!.ceilings).toEqual({ issue: 10, binding: 10, nominalRequestsPerAccount: 4 });
  expect(plain!.goodputRatio).toBe(0.95);
  expect(plain!.meetsTarget).toBe(false);
});

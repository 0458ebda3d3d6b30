import { OUTAGE_AFTER_ATTEMPTS, OUTAGE_JITTER, OUTAGE_MAX_WAIT_MS } from '../../src/domain/moov-outage';
import { formatOutageSummary, runOutage } from '../chaos/support/outage-run';

/**
 * The CI-sized outage: Moov answers 503 to everything for 3 hours (the time-skipping server's
 * clock) while 20 full remediations are in flight. `npm run test:chaos -- --outage` runs 200.
 */
test('a 3-hour Moov outage: every remediation parks, none fails, and all complete once each after it', async () => {
  const outageMs = 3 * 3600_000;
  const summary = await runOutage({ remediations: 20, outageMs });
  console.log(formatOutageSummary(summary));

  expect(summary.problems).toEqual([]);
  expect(summary.parkedAtRecovery).toBe(20);
  expect(summary.completed).toBe(20);
  expect(summary.failed).toBe(0);
  expect(summary.duplicates).toBe(0);
  expect(summary.lost).toBe(0);
  // Per remediation: the first call's attempts before it parks, then one probe per wait (at least
  // the cap shortened by the jitter, after the first few shorter ones).
  const probes = Math.ceil(outageMs / (OUTAGE_MAX_WAIT_MS * (1 - OUTAGE_JITTER))) + 3;
  expect(summary.requestsDuringOutage).toBeLessThanOrEqual(20 * (OUTAGE_AFTER_ATTEMPTS + probes));
  expect(summary.requestsDuringOutage).toBeGreaterThanOrEqual(20 * OUTAGE_AFTER_ATTEMPTS);
  // Moov back: each parked call tries again within one capped wait (plus jitter), then the steps run.
  expect(summary.recoveryToLastCompletionMs).toBeLessThanOrEqual(OUTAGE_MAX_WAIT_MS * (1 + OUTAGE_JITTER) + 60_000);
}, 600_000);

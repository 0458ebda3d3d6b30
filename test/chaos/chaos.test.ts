import { faultKind } from '../../src/sandbox/faults';
import { GUARANTEED_FAULTS } from './support/fault-mix';
import { formatChaosSummary, runChaos } from './support/chaos-run';

/**
 * The CI-sized chaos run: a dozen full remediations with every fault kind (instant, slow and
 * late answers), Moov's clock skewed behind and ahead, a worker and the Temporal server SIGKILLed
 * mid-run, and second runs for the same merchants. `npm run test:chaos` runs the full size.
 */
test('chaos (small): every step lands at Moov exactly once despite slow and late answers, skew, crashes and second runs', async () => {
  const summary = await runChaos({
    remediations: 12,
    kills: 1,
    serverKills: 1,
    faultProbability: 0.15,
    restartShare: 0.1,
    rerunShare: 0.1,
    clockSkewMinutes: 5,
    stallTimeoutMs: 5 * 60_000,
  });
  console.log(formatChaosSummary(summary));

  expect(summary.problems).toEqual([]);
  expect(summary.completed).toBe(12);
  expect(summary.kills).toBe(1);
  expect(summary.serverKills).toBe(1);
  expect(summary.secondRuns['restart-mid-run'] + summary.secondRuns['again-after-completion']).toBe(2);
  expect(summary.runs).toBe(14);
  const everyKind = [...new Set(GUARANTEED_FAULTS.map(({ fault }) => faultKind(fault))), 'clock-skew:behind', 'clock-skew:ahead'];
  expect(Object.keys(summary.faultsByKind).sort()).toEqual(expect.arrayContaining(everyKind.sort()));
  expect(summary.duplicates).toBe(0);
  expect(summary.lost).toBe(0);
}, 600_000);

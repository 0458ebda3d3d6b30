import { formatChaosSummary, runChaos } from './support/chaos-run';

/**
 * The CI-sized chaos run: a dozen full remediations with faults on every route and a worker
 * SIGKILLed mid-run. `npm run test:chaos` runs the full size (100+ remediations, 3+ kills).
 */
test('chaos (small): every remediation completes exactly once despite faults and a killed worker', async () => {
  const summary = await runChaos({ remediations: 12, kills: 1, faultProbability: 0.15 });
  console.log(formatChaosSummary(summary));

  expect(summary.problems).toEqual([]);
  expect(summary.completed).toBe(12);
  expect(summary.kills).toBe(1);
  expect(summary.duplicates).toBe(0);
  expect(summary.lost).toBe(0);
  expect(summary.faultsTotal).toBeGreaterThan(0);
}, 600_000);

import { formatFleetReport, runFleetSweep } from './support/fleet-sweep';

/**
 * The CI-sized fleet sweep: a Schedule on the dev server sweeps 60 seeded accounts for three
 * ticks. `npm run test:fleet` runs the full size (500 accounts) and docs/reliability.md has its figures.
 */
test('fleet sweep (small): every eligible merchant gets exactly one remediation and one link; refused, closed and clean ones none', async () => {
  const report = await runFleetSweep({ accounts: 60, ticks: 3, maxStartsPerTick: 20 });
  console.log(formatFleetReport(report));

  expect(report.problems).toEqual([]);
  // 24 with errors + 12 with items due: 20 in the first tick (the bound), 16 in the second, none after.
  expect(report.ticks.map((t) => t.summary.started)).toEqual([20, 16, 0]);
  expect(report.ticks[0]!.summary.stoppedAt).toBe('max-starts');
  const last = report.ticks.at(-1)!.summary;
  expect(last.skipped).toMatchObject({ refused: 12, 'recently-closed': 42, 'no-open-requirements': 6 });
  expect(report.linksPerMerchantMax).toBe(1);
  // Each link created once: 6 before the schedule, 36 by the sweeps.
  expect(report.linkCreates).toBe(42);
  expect(report.largestHistory.events).toBeLessThan(10_000);
}, 600_000);

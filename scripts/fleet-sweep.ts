import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { formatFleetReport, runFleetSweep } from '../test/fleet/support/fleet-sweep';

/** `npm run test:fleet`: the full fleet sweep; exits 1 if any account's outcome at Moov is wrong. */
async function main(): Promise<void> {
  // The SDK logs every remediation's phases at INFO: hundreds of lines that hide the report.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const opts = new Command()
    .option('--accounts <n>', 'seeded connected accounts', '500')
    .option('--ticks <n>', 'schedule ticks', '3')
    .option('--max-starts <n>', "each tick's maxStartsPerRun", '200')
    .parse()
    .opts<{ accounts: string; ticks: string; maxStarts: string }>();
  const report = await runFleetSweep({
    accounts: Number(opts.accounts),
    ticks: Number(opts.ticks),
    maxStartsPerTick: Number(opts.maxStarts),
    log: (line) => console.log(`[fleet] ${line}`),
  });
  console.log(formatFleetReport(report));
  for (const problem of report.problems) console.log(`problem: ${problem}`);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

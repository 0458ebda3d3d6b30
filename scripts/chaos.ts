import { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatChaosSummary, runChaos } from '../test/chaos/support/chaos-run';

/** `npm run test:chaos`: the full chaos run; exits 1 unless nothing was duplicated or lost. */
async function main(): Promise<void> {
  const opts = new Command()
    .option('--remediations <n>', 'full remediations to run', '100')
    .option('--kills <n>', 'worker SIGKILLs during the run', '4')
    .option('--fault-probability <p>', 'share of requests on every route that get a fault', '0.15')
    .parse()
    .opts<{ remediations: string; kills: string; faultProbability: string }>();
  const summary = await runChaos({
    remediations: Number(opts.remediations),
    kills: Number(opts.kills),
    faultProbability: Number(opts.faultProbability),
    log: (line) => console.log(`[chaos] ${line}`),
  });
  console.log(formatChaosSummary(summary));
  for (const problem of summary.problems) console.log(`problem: ${problem}`);
  const dir = path.join(__dirname, '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(summary, null, 2));
  console.log(`summary written to ${path.relative(process.cwd(), file)}`);
  const ok = summary.duplicates === 0 && summary.lost === 0 && summary.completed === summary.remediations && summary.problems.length === 0;
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

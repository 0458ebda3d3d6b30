import { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatChaosSummary, runChaos } from '../test/chaos/support/chaos-run';
import { formatOutageSummary, runOutage } from '../test/chaos/support/outage-run';

/** `npm run test:chaos`: the full chaos run; exits 1 unless every step landed at Moov exactly once. */
async function main(): Promise<void> {
  const opts = new Command()
    .option('--remediations <n>', 'merchants, one full remediation each', '200')
    .option('--kills <n>', 'worker SIGKILLs during the run', '5')
    .option('--server-kills <n>', 'SIGKILLs of the Temporal dev server, restarted on the same database', '1')
    .option('--fault-probability <p>', 'share of requests on every route that get a fault', '0.15')
    .option('--restart-share <p>', 'share of merchants whose remediation is terminated mid-run and started again', '0.05')
    .option('--rerun-share <p>', 'share of merchants whose remediation is started again after it completed', '0.05')
    .option('--clock-skew-minutes <n>', "how far Moov's clock runs behind, then ahead, then behind", '5')
    .option('--stall-timeout-minutes <n>', 'report the open remediations when none has finished for this long', '10')
    .option('--outage-hours <n>', 'instead: Moov answers 503 to everything for this long (time-skipping server) while the remediations are in flight')
    .parse()
    .opts<Record<'remediations' | 'kills' | 'serverKills' | 'faultProbability' | 'restartShare' | 'rerunShare' | 'clockSkewMinutes' | 'stallTimeoutMinutes', string> & { outageHours?: string }>();
  if (opts.outageHours !== undefined) return outage(Number(opts.remediations), Number(opts.outageHours) * 3600_000);
  const summary = await runChaos({
    remediations: Number(opts.remediations),
    kills: Number(opts.kills),
    serverKills: Number(opts.serverKills),
    faultProbability: Number(opts.faultProbability),
    restartShare: Number(opts.restartShare),
    rerunShare: Number(opts.rerunShare),
    clockSkewMinutes: Number(opts.clockSkewMinutes),
    stallTimeoutMs: Number(opts.stallTimeoutMinutes) * 60_000,
    log: (line) => console.log(`[chaos] ${line}`),
  });
  console.log(formatChaosSummary(summary));
  for (const problem of summary.problems) console.log(`problem: ${problem}`);
  await saveSummary('chaos', summary);
  const ok = summary.duplicates === 0 && summary.lost === 0 && summary.completed === summary.remediations && summary.problems.length === 0;
  process.exitCode = ok ? 0 : 1;
}

/** `npm run test:chaos -- --outage-hours 3`: exits 1 unless every remediation completed, once each, after the outage. */
async function outage(remediations: number, outageMs: number): Promise<void> {
  const summary = await runOutage({ remediations, outageMs, log: (line) => console.log(`[outage] ${line}`) });
  console.log(formatOutageSummary(summary));
  for (const problem of summary.problems) console.log(`problem: ${problem}`);
  await saveSummary('outage', summary);
  const ok = summary.failed === 0 && summary.duplicates === 0 && summary.lost === 0 && summary.problems.length === 0;
  process.exitCode = ok ? 0 : 1;
}

async function saveSummary(kind: string, summary: unknown): Promise<void> {
  const dir = path.join(__dirname, '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(summary, null, 2));
  console.log(`summary written to ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * `npm run bench`: one run, side by side, on this machine.
 *
 * 1. Sweep goodput vs the ceiling: N accounts (2 files + link + connection each) through the client
 *    API on our worker, and the same work by the plain @moovio/sdk script (bench/plain-sdk.ts),
 *    against the sandbox at 40 requests/s and 30–80 ms per call; under Moov's limit read two ways
 *    (per account ID, the sandbox's default, and one partner-wide budget), without and with the
 *    issue's faults (10 % 5xx, 5 % 429 with X-Retry-In, 2 % apply-then-fail).
 * 2. Parked workflows: remediations waiting for another party's link to expire; worker memory
 *    and CPU while they wait, and the time to resume them all when the links expire.
 *
 * Results: bench/results/bench-<timestamp>.json (+ .md table, + .svg chart). See docs/benchmarks.md.
 */
import { Command, Option } from 'commander';
import { setMaxListeners } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RateLimitScope } from '../src/sandbox';
import { goodputChart } from './chart';
import { BenchHarness, SANDBOX_LATENCY, SANDBOX_RPS } from './harness';
import { parkedWorkflows, type ParkedRun } from './parked';
import { contention, loadName, type ContentionRun, type HeavyLoad } from './contention';
import { fleetSweep, type FleetRun } from './fleet';
import { barsTable, contentionTable, fleetTable, machineInfo, markdownReport, parkedTable, rate, sweepTable, type BenchResult } from './report';
import { sweepPlain, sweepTemporal, type SweepRun } from './sweep';

interface Options {
  accounts?: string;
  parked?: string;
  contention: string;
  sweepLoad?: string;
  probes?: string;
  fleet?: string;
  quick: boolean;
  plainConcurrency: string;
  limits: string;
  systems: string;
  faults: boolean;
  maxCachedWorkflows?: string;
  out: string;
}

const positiveInt = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0 (got ${value})`);
  return n;
};

async function main(): Promise<void> {
  const program = new Command('npm run bench --')
    .description('Benchmark the remediation worker against the rate-limit ceiling and against a plain @moovio/sdk script')
    .option('--accounts <n>', 'accounts per sweep run, 0 to skip the sweeps (default 300; --quick: 100)')
    .option('--parked <n>', 'parked remediations, 0 to skip (default 5000; --quick: 200)')
    .option('--contention <list>', 'heavy loads to measure a new merchant beside: heavy-merchant (50 files), sweep; none to skip', 'heavy-merchant,sweep')
    .option('--sweep-load <n>', 'remediations in the sweep-sized load of --contention (default 1000; --quick: 200)')
    .option('--probes <n>', 'new merchants measured alone and beside each load (default 20; --quick: 10)')
    .option('--fleet <n>', 'accounts in the Schedule sweep of a whole fleet, 0 to skip (default 10000; --quick: 0)')
    .option('--quick', 'a few minutes: 100 accounts, 200 parked, smaller contention loads, no fleet sweep', false)
    .option('--plain-concurrency <n>', "the plain script's concurrency limit (accounts in flight)", '10')
    .addOption(new Option('--limits <list>', "the sandbox's reading of Moov's 40/s: per account ID, one partner-wide budget, or both").default('account,partner'))
    .addOption(new Option('--systems <list>', 'which side(s) of the comparison to run: temporal, plain').default('temporal,plain'))
    .option('--no-faults', 'skip the runs with faults')
    .option('--max-cached-workflows <n>', "the worker's TEMPORAL_MAX_CACHED_WORKFLOWS (default: the worker's default)")
    .option('--out <dir>', 'where results go', path.join(__dirname, 'results'))
    .parse();
  const opts = program.opts<Options>();
  const accounts = positiveInt('accounts', opts.accounts ?? (opts.quick ? '100' : '300'));
  const parkedCount = positiveInt('parked', opts.parked ?? (opts.quick ? '200' : '5000'));
  const plainConcurrency = positiveInt('plain-concurrency', opts.plainConcurrency);
  const sweepLoad = positiveInt('sweep-load', opts.sweepLoad ?? (opts.quick ? '200' : '1000'));
  const probes = positiveInt('probes', opts.probes ?? (opts.quick ? '10' : '20'));
  const fleetAccounts = positiveInt('fleet', opts.fleet ?? (opts.quick ? '0' : '10000'));
  const loads: HeavyLoad[] = opts.contention === 'none' ? [] : opts.contention.split(',').map((s) => s.trim()).map((kind): HeavyLoad => {
    if (kind === 'heavy-merchant') return { kind, files: 50, rounds: opts.quick ? 3 : 6 };
    if (kind === 'sweep') return { kind, accounts: sweepLoad };
    throw new Error('--contention takes heavy-merchant, sweep, both (comma-separated) or none');
  });
  const limits = opts.limits.split(',').map((s) => s.trim()) as RateLimitScope[];
  if (limits.some((l) => l !== 'account' && l !== 'partner')) throw new Error('--limits takes account, partner or account,partner');
  const systems = opts.systems.split(',').map((s) => s.trim());
  if (systems.length === 0 || systems.some((s) => s !== 'temporal' && s !== 'plain')) throw new Error('--systems takes temporal, plain or temporal,plain');

  // Hundreds of concurrent result() long-polls share one client connection.
  setMaxListeners(0);
  const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const startedAt = new Date();
  const harness = await BenchHarness.start(log);
  if (opts.maxCachedWorkflows !== undefined) harness.maxCachedWorkflows = positiveInt('max-cached-workflows', opts.maxCachedWorkflows);
  // Ctrl-C: stop the worker, the sandbox and the dev server rather than leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void harness.close().finally(() => process.exit(130));
    });
  }
  const sweeps: SweepRun[] = [];
  let parked: ParkedRun | undefined;
  const contentionRuns: ContentionRun[] = [];
  let fleet: FleetRun | undefined;
  await mkdir(opts.out, { recursive: true });
  const base = path.join(opts.out, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  /** The results so far, written after every part: a long run that is stopped keeps what it measured. */
  const save = async (): Promise<BenchResult> => {
    const result: BenchResult = {
      kind: 'bench',
      startedAt: startedAt.toISOString(),
      wallSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: machineInfo(),
      options: { accounts, parked: parkedCount, quick: opts.quick, plainConcurrency, limits, systems, faults: opts.faults, contention: loads, probes, fleet: fleetAccounts },
      sandbox: { rateLimitRps: SANDBOX_RPS, latencyMs: SANDBOX_LATENCY },
      sweeps: rate(sweeps, SANDBOX_RPS),
      ...(parked && { parked }),
      ...(contentionRuns.length > 0 && { contention: contentionRuns }),
      ...(fleet && { fleet }),
      notes: [
        'ceiling = 40 requests/s ÷ requests per account in the fault-free run of the same system (40/s read as one budget for the partner)',
        'our worker is told the limit the sandbox enforces: MOOV_ACCOUNT_RATE_LIMIT=40, plus MOOV_PARTNER_RATE_LIMIT=40 under the partner-wide reading (no queue-wide rate otherwise)',
        'per-account limit: each merchant has its own 40/s bucket, so no Moov ceiling binds a fleet of one remediation per account',
        '429 share = requests refused by the sandbox rate limiter ÷ all requests (injected 429 faults not counted)',
        'latency = submit → done per account (workflow start → close; for the script, every account is submitted at its start)',
      ],
    };
    await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(`${base}.md`, `${markdownReport(result)}\n`);
    if (result.sweeps.length > 0) await writeFile(`${base}.svg`, await goodputChart(result));
    return result;
  };
  try {
    for (const limit of accounts > 0 ? limits : []) {
      for (const faults of opts.faults ? [false, true] : [false]) {
        const label = `${accounts} accounts, ${limit} limit${faults ? ', faults' : ''}`;
        if (systems.includes('temporal')) {
          log(`Temporal worker: ${label}`);
          sweeps.push(await sweepTemporal(harness, { accounts, limit, faults, startConcurrency: 32 }));
          log(`  ${summary(sweeps[sweeps.length - 1]!)}`);
          await save();
        }
        if (systems.includes('plain')) {
          log(`plain @moovio/sdk: ${label}`);
          sweeps.push(await sweepPlain(harness, { accounts, limit, faults, concurrency: plainConcurrency }));
          log(`  ${summary(sweeps[sweeps.length - 1]!)}`);
          await save();
        }
      }
    }
    for (const load of probes > 0 ? loads : []) {
      log(`new merchants beside ${loadName(load)}`);
      contentionRuns.push(await contention(harness, { load, probes, log }));
      await save();
    }
    if (parkedCount > 0) {
      log(`parked: ${parkedCount} remediations waiting for another party's link`);
      parked = await parkedWorkflows(harness, { count: parkedCount, idleWindowS: opts.quick ? 15 : 30, log });
      await save();
    }
    if (fleetAccounts > 0) {
      log(`fleet: a Schedule sweep of ${fleetAccounts} accounts`);
      fleet = await fleetSweep(harness, { accounts: fleetAccounts, log });
    }
  } finally {
    await harness.close();
  }
  const result = await save();
  console.log(`\n${barsTable(result)}\n`);
  console.log(`${sweepTable(result.sweeps)}\n`);
  if (result.contention) console.log(`${contentionTable(result.contention)}\n`);
  if (result.parked) console.log(`${parkedTable(result.parked)}\n`);
  if (result.fleet) console.log(`${fleetTable(result.fleet)}\n`);
  console.log(`results: ${path.relative(process.cwd(), base)}.{json,md,svg} (wall time ${Math.round(result.wallSeconds)} s)`);
}

function summary(r: SweepRun): string {
  return (
    `${r.completed}/${r.accounts} done, ${r.accountsPerS.toFixed(2)} done/s, goodput ${r.goodputPerS.toFixed(2)} accounts/s, ${r.requests.perSecond.toFixed(1)} req/s ` +
    `(peak in any 1 s: ${r.requests.peakAccountSliding} per account, ${r.requests.peakPartnerSliding} in all), ${r.requests.rateLimited429} × 429, ${r.audit.duplicates} duplicates, ${r.audit.missing} missing`
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

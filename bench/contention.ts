import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { startRemediation } from '../src/client';
import { mapBounded } from '../src/workflows/bounded-parallel';
import { benchRemediationInput, type BenchHarness, type Merchant } from './harness';
import { profileHistories, type TimeBreakdown } from './history-profile';
import { percentiles, round, type Percentiles } from './stats';

/**
 * Fair under contention: new merchants from the onboarding backend (2 files, a link, the
 * connection each), started one every PROBE_INTERVAL_MS, alone and then beside a heavy load:
 * merchants with 50 files one after another, or a sweep's worth of remediations (all started at
 * once through the client API as `bulk`, as a sweep's are: harsher than a sweep, which starts 10
 * at a time). Latency is a new
 * merchant's workflow start → close as Temporal records it. Under the per-account reading with
 * the worker's defaults.
 */
export type HeavyLoad = { kind: 'heavy-merchant'; files: number; rounds: number } | { kind: 'sweep'; accounts: number };

export interface ContentionRun {
  load: HeavyLoad;
  probes: number;
  aloneS: Percentiles;
  besideS: Percentiles;
  /** p99 beside the load ÷ p99 alone (the bar: ≤ 1.5). */
  p99Ratio: number;
  /** Where a new merchant's time went, alone and beside the load (queue waits vs processing). */
  aloneBreakdown: TimeBreakdown;
  besideBreakdown: TimeBreakdown;
  /** The load itself: remediations completed of those started, and first start → last close. */
  loadCompleted: number;
  loadStarted: number;
  loadMakespanS: number;
}

/** New merchants arrive at this pace, open loop (each is not waited for before the next starts). */
const PROBE_INTERVAL_MS = 500;
const HEAVY_FILE_PURPOSE = 'merchant_underwriting' as const;

export function loadName(load: HeavyLoad): string {
  return load.kind === 'heavy-merchant' ? `${load.rounds} merchants with ${load.files} files, one after another` : `${load.accounts} remediations started at once`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** New merchants at PROBE_INTERVAL_MS until they run out or `until` says stop; their latencies in seconds. */
async function probeLatencies(harness: BenchHarness, merchants: Merchant[], principal: string, until: () => boolean = () => false) {
  const runs: Promise<{ latencyS: number; handle: WorkflowHandle }>[] = [];
  for (const m of merchants) {
    if (until()) break;
    runs.push(
      (async () => {
        const { handle } = await startRemediation(harness.env.client, benchRemediationInput(m, principal), { taskQueue: harness.taskQueue });
        await handle.result();
        const d = await handle.describe();
        return { latencyS: (d.closeTime!.getTime() - d.startTime.getTime()) / 1000, handle };
      })(),
    );
    await sleep(PROBE_INTERVAL_MS);
  }
  const done = await Promise.all(runs);
  return { latencies: done.map((r) => r.latencyS), breakdown: await profileHistories(done.map((r) => r.handle)) };
}

async function writeHeavyFiles(harness: BenchHarness, accountID: string, files: number): Promise<void> {
  const dir = path.join(harness.filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < files; i++) await writeFile(path.join(dir, `statement-${i}.csv`), `month,balance\n${i},${1000 + i}\n`);
}

export async function contention(harness: BenchHarness, opts: { load: HeavyLoad; probes: number; log: (line: string) => void }): Promise<ContentionRun> {
  await harness.useWorker('account');
  const client = harness.env.client;
  const { load } = opts;
  const { principal, merchants: probes } = await harness.seedMerchants(opts.probes * 2, 'probe');
  const { latencies: alone, breakdown: aloneBreakdown } = await probeLatencies(harness, probes.slice(0, opts.probes), principal);
  opts.log(`contention: new merchant alone p50 ${percentiles(alone).p50.toFixed(2)} s, p99 ${percentiles(alone).p99.toFixed(2)} s`);

  // The load's own merchants, seeded before it starts (seeding is not part of it).
  const loadMerchants = (await harness.seedMerchants(load.kind === 'sweep' ? load.accounts : load.rounds, 'load')).merchants;
  if (load.kind === 'heavy-merchant') for (const m of loadMerchants) await writeHeavyFiles(harness, m.accountID, load.files);
  const inputOf = (m: Merchant) => {
    const base = benchRemediationInput(m, principal);
    if (load.kind === 'sweep') return base;
    const files = Array.from({ length: load.files }, (_, i) => ({ path: `statement-${i}.csv`, filePurpose: HEAVY_FILE_PURPOSE }));
    return { ...base, files, options: { ...base.options, uploadConcurrency: 10 } };
  };
  // The sweep-sized load is bulk, as a sweep's own starts are; a heavy merchant is the backend's own.
  const urgency = load.kind === 'sweep' ? 'bulk' : 'interactive';
  const start = async (m: Merchant) => (await startRemediation(client, inputOf(m), { taskQueue: harness.taskQueue, urgency })).handle;
  const loadBegan = Date.now();
  let loadDone = false;
  const handles: Awaited<ReturnType<typeof start>>[] = [];
  const loadRun = (async () => {
    if (load.kind === 'sweep') {
      handles.push(...(await mapBounded(loadMerchants, 32, start)));
      return Promise.allSettled(handles.map((h) => h.result()));
    }
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (const m of loadMerchants) {
      const handle = await start(m);
      handles.push(handle);
      outcomes.push(...(await Promise.allSettled([handle.result()])));
    }
    return outcomes;
  })().finally(() => (loadDone = true));
  // Probes only while the load still runs: one after it would measure the machine alone.
  const { latencies: beside, breakdown: besideBreakdown } = await probeLatencies(harness, probes.slice(opts.probes), principal, () => loadDone);
  const outcomes = await loadRun;
  const closes = await mapBounded(handles, 20, async (h) => (await h.describe()).closeTime?.getTime() ?? NaN);
  const run: ContentionRun = {
    load,
    probes: beside.length,
    aloneS: percentiles(alone),
    besideS: percentiles(beside),
    p99Ratio: round(percentiles(beside).p99 / percentiles(alone).p99, 3),
    aloneBreakdown,
    besideBreakdown,
    loadCompleted: outcomes.filter((o) => o.status === 'fulfilled').length,
    loadStarted: handles.length,
    loadMakespanS: round((closes.reduce((a, b) => Math.max(a, b), -Infinity) - loadBegan) / 1000, 1),
  };
  opts.log(`contention: beside ${loadName(load)}: ${run.probes} new merchants, p50 ${run.besideS.p50.toFixed(2)} s, p99 ${run.besideS.p99.toFixed(2)} s (${run.p99Ratio}× alone)`);
  opts.log(`contention: a new merchant's time alone ${JSON.stringify(aloneBreakdown.perRemediationMs)}, beside ${JSON.stringify(besideBreakdown.perRemediationMs)}`);
  return run;
}

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failureMessage, startRemediation } from '../src/client';
import { DEFAULT_CREDENTIALS, type RateLimitScope } from '../src/sandbox';
import { mapBounded } from '../src/workflows/bounded-parallel';
import { auditSandbox, BENCH_FILES, BENCH_SCOPES, benchRemediationInput, type Audit, type BenchHarness } from './harness';
import type { PlainJob, PlainResult } from './plain-sdk';
import { explainSlowest, profileHistories, type SlowestRemediation, type TimeBreakdown } from './history-profile';
import { readCpuMs } from './proc';
import { issueFaultRules, percentiles, requestStats, type Percentiles, type RequestStats } from './stats';

/** Every Moov route a benchmark remediation uses (both systems), for the fault rules. */
export const SWEEP_ROUTES = [
  'GET /accounts/:accountID/files',
  'POST /accounts/:accountID/files',
  'POST /accounts/:accountID/resolution-links',
  'GET /accounts/:accountID/resolution-links',
  'POST /accounts/:accountID/connections',
];

export type System = 'temporal' | 'plain-sdk';

export interface SweepRun {
  system: System;
  /** 'default', or for our worker at another queue rate e.g. 'queue 200/s'. */
  variant: string;
  /** The sandbox's reading of "40 requests/s per account ID": per merchant account, or one budget for the partner. */
  limit: RateLimitScope;
  faults: boolean;
  accounts: number;
  completed: number;
  failed: number;
  /** Failure messages and how often each occurred (first 80 characters). */
  failures: Record<string, number>;
  /** First submit → last remediation done, in seconds. */
  makespanS: number;
  /** Accounts the system reported done, per second. */
  accountsPerS: number;
  /** Accounts reported done *and* found exactly right at Moov (no duplicate, nothing missing), per second. */
  goodputPerS: number;
  requests: RequestStats;
  requestsPerAccount: number;
  /** Requests per account that were neither refused by the limiter nor faulted: the work itself. */
  cleanRequestsPerAccount: number;
  /** Share of all requests the sandbox's rate limiter refused with 429. */
  share429: number;
  /** Submit → done per remediation (workflow start → close; for the script, all accounts are submitted at t0). */
  latencyS: Percentiles;
  /** The script only: its own work on the account (start of the first call → end of the last). */
  serviceS?: Percentiles;
  audit: Audit;
  /** CPU time per remediation: the worker process (or the script's process), the Temporal server, the sandbox+bench process. */
  cpuMsPerRemediation: { client: number; temporalServer?: number; sandboxAndBench: number };
  historyEvents?: Percentiles & { mean: number };
  /** Ours only: where a remediation's time went (queue waits vs processing), from sampled histories. */
  timeBreakdown?: TimeBreakdown;
  /** Ours only: the remediation that closed last, activity by activity (what the tail waited on). */
  slowest?: SlowestRemediation;
  faultsByKind: Record<string, number>;
  config: Record<string, unknown>;
}

function countFailure(failures: Record<string, number>, message: string): void {
  const key = message.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/g, '<id>').replace(/\(request id [0-9a-f]+\)/g, '').slice(0, 80);
  failures[key] = (failures[key] ?? 0) + 1;
}

/** The figures both systems share: counts, rates and the audit, from the same sources. */
function throughput(accounts: number, completed: number, makespanS: number, requests: RequestStats, audit: Audit) {
  return {
    accounts,
    completed,
    failed: accounts - completed,
    makespanS,
    accountsPerS: completed / makespanS,
    goodputPerS: audit.exactAndDone / makespanS,
    requests,
    requestsPerAccount: requests.total / accounts,
    cleanRequestsPerAccount: requests.clean / accounts,
    share429: requests.total ? requests.rateLimited429 / requests.total : 0,
    audit,
  };
}

async function sandboxRequests(harness: BenchHarness): Promise<RequestStats> {
  return requestStats(await harness.admin!.requests(), 1);
}

function serverCpu(harness: BenchHarness): number | undefined {
  try {
    return harness.serverPid ? readCpuMs(harness.serverPid) : undefined;
  } catch {
    return undefined;
  }
}

/** N remediations through the client API on our worker; measured from the sandbox and Temporal afterwards. */
export async function sweepTemporal(
  harness: BenchHarness,
  opts: { accounts: number; limit: RateLimitScope; faults: boolean; startConcurrency: number; variant?: string },
): Promise<SweepRun> {
  const worker = await harness.useWorker(opts.limit);
  const { principal, merchants } = await harness.seedMerchants(opts.accounts, `t-${opts.limit}-${opts.faults ? 'f' : 'c'}`);
  for (const rule of opts.faults ? issueFaultRules(SWEEP_ROUTES) : []) await harness.admin!.addFault(rule);
  const client = harness.env.client;

  const workerCpu0 = readCpuMs(worker.pid!);
  const serverCpu0 = serverCpu(harness);
  const benchCpu0 = process.cpuUsage();
  const t0 = Date.now();
  const handles = await mapBounded(merchants, opts.startConcurrency, async (m) => (await startRemediation(client, benchRemediationInput(m, principal), { taskQueue: harness.taskQueue })).handle);
  const startedAllAt = Date.now();
  const outcomes = await Promise.allSettled(handles.map((h) => h.result()));
  const workerCpuMs = readCpuMs(worker.pid!) - workerCpu0;
  const serverCpu1 = serverCpu(harness);
  const benchCpu = process.cpuUsage(benchCpu0);

  const failures: Record<string, number> = {};
  for (const o of outcomes) if (o.status === 'rejected') countFailure(failures, failureMessage(o.reason));
  const descriptions = await mapBounded(handles, 20, async (handle) => {
    const d = await handle.describe();
    return { start: d.startTime.getTime(), close: d.closeTime?.getTime() ?? NaN, history: d.historyLength };
  });
  const lastClose = Math.max(...descriptions.map((d) => d.close));
  const completed = outcomes.filter((o) => o.status === 'fulfilled').length;
  const requests = await sandboxRequests(harness);
  const histories = descriptions.map((d) => d.history);
  const makespanS = (lastClose - t0) / 1000;
  const done = new Set(merchants.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((m) => m.accountID));
  const audit = await auditSandbox(harness.admin!, merchants, done);
  return {
    system: 'temporal',
    variant: opts.variant ?? 'default',
    limit: opts.limit,
    faults: opts.faults,
    ...throughput(merchants.length, completed, makespanS, requests, audit),
    failures,
    latencyS: percentiles(descriptions.map((d) => (d.close - d.start) / 1000)),
    cpuMsPerRemediation: {
      client: workerCpuMs / merchants.length,
      ...(serverCpu0 !== undefined && serverCpu1 !== undefined && { temporalServer: (serverCpu1 - serverCpu0) / merchants.length }),
      sandboxAndBench: (benchCpu.user + benchCpu.system) / 1000 / merchants.length,
    },
    historyEvents: { ...percentiles(histories), mean: histories.reduce((a, b) => a + b, 0) / histories.length },
    timeBreakdown: await profileHistories(handles),
    slowest: await (async () => {
      const i = descriptions.findIndex((d) => d.close === lastClose);
      return explainSlowest(handles[i]!, harness.admin, merchants[i]!.accountID);
    })(),
    faultsByKind: await harness.admin!.faultsByKind(),
    config: { startConcurrency: opts.startConcurrency, startSeconds: (startedAllAt - t0) / 1000 },
  };
}

/** The same work by bench/plain-sdk.ts in its own process against the same sandbox. */
export async function sweepPlain(
  harness: BenchHarness,
  opts: { accounts: number; limit: RateLimitScope; faults: boolean; concurrency: number },
): Promise<SweepRun> {
  await harness.useSandbox(opts.limit);
  const { principal, merchants } = await harness.seedMerchants(opts.accounts, `p-${opts.limit}-${opts.faults ? 'f' : 'c'}`);
  for (const rule of opts.faults ? issueFaultRules(SWEEP_ROUTES) : []) await harness.admin!.addFault(rule);
  const job: PlainJob = {
    serverURL: harness.sandbox!.url,
    username: DEFAULT_CREDENTIALS.publicKey,
    password: DEFAULT_CREDENTIALS.secretKey,
    filesRoot: harness.filesRoot,
    files: BENCH_FILES,
    principalAccountID: principal,
    allowScopes: [...BENCH_SCOPES],
    accounts: merchants,
    concurrency: opts.concurrency,
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-plain-'));
  try {
    await writeFile(path.join(dir, 'job.json'), JSON.stringify(job));
    const serverCpu0 = serverCpu(harness);
    const benchCpu0 = process.cpuUsage();
    await runChild(['--import', 'tsx', path.join(__dirname, 'plain-sdk.ts'), '--job', path.join(dir, 'job.json'), '--out', path.join(dir, 'out.json')]);
    const benchCpu = process.cpuUsage(benchCpu0);
    const serverCpu1 = serverCpu(harness);
    const result = JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8')) as PlainResult;
    const failures: Record<string, number> = {};
    for (const o of result.outcomes) if (o.error) countFailure(failures, o.error);
    const completed = result.outcomes.filter((o) => !o.error).length;
    const makespanS = Math.max(...result.outcomes.map((o) => o.finishedMs)) / 1000;
    const requests = await sandboxRequests(harness);
    const done = new Set(result.outcomes.filter((o) => !o.error).map((o) => o.accountID));
    const audit = await auditSandbox(harness.admin!, merchants, done);
    return {
      system: 'plain-sdk',
      variant: 'default',
      limit: opts.limit,
      faults: opts.faults,
      ...throughput(merchants.length, completed, makespanS, requests, audit),
      failures,
      latencyS: percentiles(result.outcomes.map((o) => o.finishedMs / 1000)),
      serviceS: percentiles(result.outcomes.map((o) => (o.finishedMs - o.startedMs) / 1000)),
      cpuMsPerRemediation: {
        client: result.cpuMs / merchants.length,
        ...(serverCpu0 !== undefined && serverCpu1 !== undefined && { temporalServer: (serverCpu1 - serverCpu0) / merchants.length }),
        sandboxAndBench: (benchCpu.user + benchCpu.system) / 1000 / merchants.length,
      },
      faultsByKind: await harness.admin!.faultsByKind(),
      config: { concurrency: opts.concurrency, retryConfig: result.retryConfig },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-10_000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`plain-sdk.ts exited with ${code}:\n${stderr}`))));
  });
}

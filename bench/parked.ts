import type { WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import v8 from 'node:v8';
import { startRemediation } from '../src/client';
import { defaultCacheSizing, sdkDefaultMaxCachedWorkflows } from '../src/config/worker-memory';
import { REMEDIATION_PHASE } from '../src/domain/search-attributes';
import { mapBounded } from '../src/workflows/bounded-parallel';
import { SANDBOX_RPS, type BenchHarness } from './harness';
import { ProcSampler, readPeakRss, type ProcSample } from './proc';
import { percentiles, round, type Percentiles } from './stats';

/** Someone else's link (another agent at the partner): never adopted, so the remediation waits for it. */
const FOREIGN_RECIPIENT = 'previous-agent@partner.test';

export interface ParkedRun {
  requested: number;
  started: number;
  /** Remediations that were waiting for the foreign link when it expired. */
  parkedBeforeExpiry: number;
  startSeconds: number;
  startsPerSecond: number;
  /** First start → all waiting (every remediation had met the 409 and read the foreign link). */
  parkSeconds: number;
  /** Worker process while all of them wait (the idle window before the links expire). */
  waiting: {
    windowSeconds: number;
    workerRssMiB: number;
    workerRssBeforeStartMiB: number;
    /** (RSS while waiting − RSS before the first start) ÷ remediations. */
    workerKiBPerParkedRemediation: number;
    /** Mean CPU of the worker while nothing happens, as a share of one core. */
    workerCpuCores: number;
    temporalServerCpuCores?: number;
  };
  /** After the links' expiry (+ the 1 s margin): every remediation checks the link and creates its own. */
  resume: {
    expiresAt: string;
    completed: number;
    failed: number;
    /** Still running when the bench gave up (see the deadline): they resume at their next poll. */
    stillRunning: number;
    /** expiry → first and last remediation closed. */
    firstDoneSeconds: number;
    allDoneSeconds: number;
    /** expiry → close, per remediation. */
    doneAfterExpiryS: Percentiles;
    workerCpuCores: number;
  };
  workerPeakRssMiB: number;
  /** Workflow tasks that timed out (the worker took over 10 s), in a sample of histories; each costs a replay. */
  workflowTaskTimeouts: { sampled: number; timeouts: number; workflowsAffected: number; byType: Record<string, number> };
  /** CPU-ms in the worker per remediation over the whole phase (start, park, wait, resume). */
  workerCpuMsPerRemediation: number;
  historyEvents: Percentiles & { mean: number };
  /** The SDK's default sticky cache size for this heap (`maxCachedWorkflows`), which the worker no longer uses by default. */
  estimatedMaxCachedWorkflows: number;
  /** The worker's sticky cache: `--max-cached-workflows`, else its memory-budget default (src/config/worker-memory.ts); beyond it, waking workflows replay. */
  maxCachedWorkflows?: number;
  /** Moov requests from the links' expiry to the last close, and the time they take at the partner cap: the pacing bound. */
  resumeRequests: number;
  pacingBoundS: number;
  /** allDoneSeconds ÷ pacingBoundS (the bar: ≤ 1.1). */
  resumeRatio: number;
  partnerRateLimit: number;
  rssTimeline: { t: number; rssMiB: number; cpuCores: number }[];
}

const MiB = 1024 * 1024;

async function countWhere(harness: BenchHarness, filter: string): Promise<number> {
  const { count } = await harness.env.client.workflow.count(`TaskQueue = "${harness.taskQueue}" AND ${filter}`);
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuCores(samples: ProcSample[]): number {
  if (samples.length < 2) return NaN;
  const a = samples[0]!;
  const b = samples[samples.length - 1]!;
  return (b.cpuMs - a.cpuMs) / (b.at - a.at);
}

/**
 * N remediations that each meet another party's active link (409) and wait, durably, for it to
 * expire; all links expire at the same instant, so all of them wake together.
 */
export async function parkedWorkflows(
  harness: BenchHarness,
  opts: { count: number; idleWindowS: number; log: (line: string) => void },
): Promise<ParkedRun> {
  const { count, log } = opts;
  // Under the partner-wide reading (the worker told MOOV_PARTNER_RATE_LIMIT=40), so that resuming
  // them all has a bound: their requests ÷ 40/s. A fresh worker process: its memory before the
  // first start is the baseline; its cache settings are the defaults.
  const partnerRateLimit = SANDBOX_RPS;
  const worker = await harness.useWorker('partner', { fresh: true });
  const admin = harness.admin!;
  const client = harness.env.client;

  const seedBegan = Date.now();
  const { merchants } = await harness.seedMerchants(count, 'parked');
  const seedRate = count / Math.max(0.001, (Date.now() - seedBegan) / 1000);
  // Every remediation must be waiting before the links expire: seeding the links, the starts, and
  // each one's first workflow task and its create that meets the 409. On 2 shared cores about 17
  // a second park (measured), below the queue's activity rate; the estimate leaves a margin, plus
  // the idle window to measure.
  const parkEstimateS = count / Math.min(partnerRateLimit * 0.85, 14) + 20;
  const expiresAtMs = Date.now() + (count / seedRate) * 1000 + (parkEstimateS + opts.idleWindowS) * 1000;
  const expiresOn = new Date(Math.ceil(expiresAtMs / 1000) * 1000).toISOString();
  await mapBounded(merchants, 50, (m) => admin.seedResolutionLink(m.accountID, { recipient: FOREIGN_RECIPIENT, expiresOn }));
  await admin.call('DELETE', '/_sandbox/requests');
  log(`parked: ${count} merchants with a foreign link expiring at ${expiresOn} (in ${((Date.parse(expiresOn) - Date.now()) / 1000).toFixed(0)} s)`);

  const sampler = new ProcSampler(worker.pid!, 1000).start();
  const serverSampler = harness.serverPid ? new ProcSampler(harness.serverPid, 1000).start() : undefined;
  const before = sampler.sample()!;
  const t0 = Date.now();
  let started = 0;
  await mapBounded(merchants, 32, async (m) => {
    await startRemediation(
      client,
      {
        accountID: m.accountID,
        resolutionLink: { recipient: { email: m.email } },
        options: { followThrough: false, expiryMargin: '1s', activeLinkPollInterval: '1 hour' },
      },
      { taskQueue: harness.taskQueue },
    );
    started += 1;
  });
  const startSeconds = (Date.now() - t0) / 1000;
  log(`parked: ${started} started in ${startSeconds.toFixed(1)} s (${(started / startSeconds).toFixed(0)}/s)`);

  const waitingFilter = `${REMEDIATION_PHASE.name} = "waiting-for-active-link"`;
  let waiting = 0;
  let allParkedAt: number | undefined;
  while (Date.now() < Date.parse(expiresOn) - 2000) {
    waiting = await countWhere(harness, waitingFilter);
    if (waiting >= count) {
      allParkedAt = Date.now();
      break;
    }
    await sleep(2000);
  }
  if (allParkedAt) log(`parked: all ${count} waiting after ${((allParkedAt - t0) / 1000).toFixed(1)} s`);
  else log(`parked: only ${waiting} of ${count} waiting when the links expire (size it down with --parked)`);
  const idleFrom = allParkedAt ?? Date.now();
  await sleep(Math.max(0, Date.parse(expiresOn) - Date.now()));
  const idleTo = Date.now();
  const parkedBeforeExpiry = allParkedAt ? count : await countWhere(harness, waitingFilter);

  // Stragglers (a remediation whose workflow task read the link before expiry but ran after it
  // polls again only after activeLinkPollInterval) would hold the run for an hour: give up on them.
  const deadline = Date.parse(expiresOn) + Math.max(120, (6 * count) / partnerRateLimit) * 1000;
  let closed = 0;
  while (closed < count && Date.now() < deadline) {
    await sleep(1000);
    closed = await countWhere(harness, 'ExecutionStatus != "Running"');
  }
  if (closed < count) log(`parked: ${count - closed} still running at the deadline; reported as not resumed`);
  const resumedAt = Date.now();
  sampler.stop();
  serverSampler?.stop();

  const infos: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query: `TaskQueue = "${harness.taskQueue}"` })) infos.push(info);
  const expiry = Date.parse(expiresOn);
  const resumeRequests = (await admin.requests()).filter((r) => Date.parse(r.at) >= expiry).length;
  const pacingBoundS = resumeRequests / partnerRateLimit;
  const closes = infos.map((i) => i.closeTime?.getTime() ?? NaN).filter(Number.isFinite);
  const completed = infos.filter((i) => i.status.name === 'COMPLETED').length;
  const stillRunning = infos.filter((i) => i.status.name === 'RUNNING').length;
  const taskTimeouts = await countWorkflowTaskTimeouts(client, infos.map((i) => i.workflowId), 200, Date.parse(expiresOn));
  const histories = infos.map((i) => i.historyLength ?? 0);
  const idleSamples = sampler.between(idleFrom, idleTo);
  const rssWaiting = idleSamples.length ? idleSamples[idleSamples.length - 1]!.rssBytes : before.rssBytes;
  const total = sampler.samples[sampler.samples.length - 1]!;
  const heapMiB = v8.getHeapStatistics().heap_size_limit / MiB;
  return {
    requested: count,
    started,
    parkedBeforeExpiry,
    startSeconds: round(startSeconds, 1),
    startsPerSecond: round(started / startSeconds, 1),
    parkSeconds: allParkedAt ? round((allParkedAt - t0) / 1000, 1) : NaN,
    waiting: {
      windowSeconds: round((idleTo - idleFrom) / 1000, 1),
      workerRssMiB: round(rssWaiting / MiB, 0),
      workerRssBeforeStartMiB: round(before.rssBytes / MiB, 0),
      workerKiBPerParkedRemediation: round((rssWaiting - before.rssBytes) / 1024 / count, 1),
      workerCpuCores: round(cpuCores(idleSamples), 3),
      ...(serverSampler && { temporalServerCpuCores: round(cpuCores(serverSampler.between(idleFrom, idleTo)), 3) }),
    },
    resume: {
      expiresAt: expiresOn,
      completed,
      failed: infos.length - completed - stillRunning,
      stillRunning,
      firstDoneSeconds: round((Math.min(...closes) - expiry) / 1000, 1),
      allDoneSeconds: round((Math.max(...closes) - expiry) / 1000, 1),
      doneAfterExpiryS: percentiles(closes.map((c) => round((c - expiry) / 1000, 2))),
      workerCpuCores: round(cpuCores(sampler.between(expiry, resumedAt)), 2),
    },
    workerPeakRssMiB: round(readPeakRssSafe(worker.pid!) / MiB, 0),
    workflowTaskTimeouts: taskTimeouts,
    workerCpuMsPerRemediation: round((total.cpuMs - before.cpuMs) / count, 1),
    historyEvents: { ...percentiles(histories), mean: round(histories.reduce((a, b) => a + b, 0) / Math.max(1, histories.length), 1) },
    estimatedMaxCachedWorkflows: sdkDefaultMaxCachedWorkflows(heapMiB * MiB),
    maxCachedWorkflows: harness.maxCachedWorkflows ?? defaultCacheSizing(undefined).maxCachedWorkflows,
    resumeRequests,
    pacingBoundS: round(pacingBoundS, 1),
    resumeRatio: round((Math.max(...closes) - expiry) / 1000 / pacingBoundS, 3),
    partnerRateLimit,
    rssTimeline: sampler.samples.slice(1).map((s, i) => ({
      t: round((s.at - t0) / 1000, 1),
      rssMiB: round(s.rssBytes / MiB, 0),
      cpuCores: round((s.cpuMs - sampler.samples[i]!.cpuMs) / Math.max(1, s.at - sampler.samples[i]!.at), 2),
    })),
  };
}

async function countWorkflowTaskTimeouts(client: BenchHarness['env']['client'], ids: string[], sample: number, expiry: number) {
  const step = Math.max(1, Math.floor(ids.length / sample));
  const picked = ids.filter((_, i) => i % step === 0).slice(0, sample);
  let timeouts = 0;
  let workflowsAffected = 0;
  const byType: Record<string, number> = {};
  for (const id of picked) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const timedOut = (history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    for (const e of timedOut) {
      const kind = temporal.api.enums.v1.TimeoutType[e.workflowTaskTimedOutEventAttributes?.timeoutType ?? 0] ?? 'unknown';
      const at = Number(e.eventTime?.seconds ?? 0) * 1000;
      const type = `${kind} ${at < expiry ? 'parking' : 'resuming'}`;
      byType[type] = (byType[type] ?? 0) + 1;
    }
    timeouts += timedOut.length;
    if (timedOut.length > 0) workflowsAffected += 1;
  }
  return { sampled: picked.length, timeouts, workflowsAffected, byType };
}

function readPeakRssSafe(pid: number): number {
  try {
    return readPeakRss(pid);
  } catch {
    return NaN;
  }
}

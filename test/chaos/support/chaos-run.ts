import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failureMessage } from '../../../src/client';
import { startSandbox } from '../../../src/sandbox';
import { CrashableDevServer } from '../../support/crashable-dev-server';
import { SandboxAdmin, type SandboxRequest } from '../../support/sandbox-admin';
import { remediationWorkflowId } from '../../../src/domain/workflow-ids';
import { auditAccount } from '../../support/sandbox-audit';
import { WorkerProcess, sandboxWorkerEnv } from '../../support/worker-process';
import { activityTimeline } from './activity-timeline';
import { FILES_PER_REMEDIATION, seedFleet } from './chaos-fleet';
import { CHAOS_HTTP_TIMEOUTS, CHAOS_ROUTES, GUARANTEED_FAULTS, HOLD_BEFORE_RESTART, WRITES_AFTER_UPLOADS, faultMixFor } from './fault-mix';
import { MerchantRuns, type SecondRun } from './merchant-runs';

export interface ChaosOptions {
  remediations: number;
  /** Worker SIGKILLs. */
  kills: number;
  /** SIGKILLs of the Temporal dev server, each restarted on the same SQLite file and port. */
  serverKills: number;
  /** Share of requests on every Moov route that get a fault. */
  faultProbability: number;
  /** Share of merchants (at least one each) whose remediation is terminated mid-run and started again / started again after it completed. */
  restartShare: number;
  rerunShare: number;
  /** Moov's clock skew in the skew phases: this many minutes behind, then ahead, then behind again. */
  clockSkewMinutes: number;
  /** Give up on the remediations still open when none has finished for this long, and report them. */
  stallTimeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosSummary {
  remediations: number;
  /** Workflow runs started: one per merchant plus the second runs. */
  runs: number;
  completed: number;
  kills: number;
  serverKills: number;
  secondRuns: Record<SecondRun, number>;
  /** Faults the sandbox's rules injected, by kind, plus `clock-skew:*`: requests Moov answered with its clock skewed. */
  faultsByKind: Record<string, number>;
  /** Faults the rules injected (clock skew not included: it is not a per-request fault). */
  faultsTotal: number;
  moovRequests: number;
  /** Slow answers and late writes the sandbox acted on after holding them. */
  heldRequestsFinished: number;
  duplicates: number;
  lost: number;
  problems: string[];
  wallTimeMs: number;
  twoWorkersPart: boolean;
}

const UPLOAD = 'POST /accounts/:accountID/files';
/** Requests Moov answers with one skew before the next phase may begin. */
const REQUESTS_PER_SKEW_PHASE = 10;
/** Accounts whose request log the report quotes in full when the audit finds something. */
const EXCERPTS_AT_MOST = 10;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs many full remediations against the sandbox with faults on every route (instant, slow and
 * late), Moov's clock skewed, worker processes and the Temporal server itself SIGKILLed and
 * restarted, and second runs for some merchants; then checks Moov's side (the sandbox state,
 * account by account) for every step's effect exactly once.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const server = await CrashableDevServer.start();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  // Moov's production limit; each merchant has its own bucket, as at Moov.
  const sandbox = await startSandbox({ port: 0, rateLimitRps: 40, latencyMs: [5, 40] });
  const admin = new SandboxAdmin(sandbox.url);
  const filesRoot = await mkdtemp(path.join(tmpdir(), 'chaos-files-'));
  const taskQueue = `chaos-${randomUUID()}`;
  const workerEnv = sandboxWorkerEnv({ temporalAddress: server.address, taskQueue, filesRoot, moovBaseUrl: sandbox.url, httpTimeouts: CHAOS_HTTP_TIMEOUTS });
  const workers = [new WorkerProcess('worker-a', workerEnv), new WorkerProcess('worker-b', workerEnv)];
  const problems: string[] = [];
  let kills = 0;
  let twoWorkersPart = false;
  try {
    const { merchants } = await seedFleet(admin, filesRoot, options.remediations);
    // Scripted first (account-scoped sequences win over the mix), so every kind fires at least once.
    for (const [i, { route, fault }] of GUARANTEED_FAULTS.entries()) {
      await admin.addFault({ route, accountID: merchants[i % merchants.length]!.accountID, sequence: [fault] });
    }
    const ctx = { client, taskQueue, serverUp: () => server.up() };
    const secondRuns = chooseSecondRuns(merchants.length, options);
    for (const [index, kind] of secondRuns) {
      if (kind !== 'restart-mid-run') continue;
      await admin.addFault({ route: HOLD_BEFORE_RESTART.route, accountID: merchants[index]!.accountID, sequence: [HOLD_BEFORE_RESTART.fault] });
    }
    for (const { route, write } of CHAOS_ROUTES) {
      await admin.addFault({ route, probability: options.faultProbability, faults: faultMixFor(write) });
    }
    const fleet = merchants.map((m) => new MerchantRuns(m, secondRuns.get(m.index), ctx));

    await workers[0]!.start();
    log(`worker-a up; starting ${fleet.length} remediations`);
    for (const runs of fleet) await runs.start();
    let lastProgressAt = Date.now();
    const done = new Set<MerchantRuns>();
    const outcomes = Promise.allSettled(
      fleet.map((runs) =>
        runs.finished().finally(() => {
          done.add(runs);
          lastProgressAt = Date.now();
        }),
      ),
    );

    // Everything below happens at points of the fleet's progress (uploads Moov has seen), not at
    // fixed times: a faster worker would finish first.
    const uploadsExpected = merchants.length * FILES_PER_REMEDIATION;
    const at = (share: number) => Math.ceil(uploadsExpected * share);
    const randomShare = (from: number, to: number) => from + Math.random() * (to - from);
    const skew = options.clockSkewMinutes * 60_000;
    const events: { atUploads: number; run: () => Promise<void> }[] = [
      ...Array.from({ length: options.kills }, () => ({
        atUploads: at(randomShare(0.15, 0.85)),
        run: async () => {
          const live = workers.filter((w) => w.running);
          const victim = live[Math.floor(Math.random() * live.length)]!;
          await victim.kill();
          kills += 1;
          log(`kill ${kills}: SIGKILL ${victim.name}`);
          if (kills === 1) {
            await workers[1]!.start();
            twoWorkersPart = true;
            log('worker-b up: two workers share the queue');
          }
          if (workers.every((w) => !w.running) || Math.random() < 0.5) await victim.start();
        },
      })),
      ...Array.from({ length: options.serverKills }, () => ({
        atUploads: at(randomShare(0.3, 0.7)),
        run: async () => {
          const downAt = Date.now();
          const runningBefore = workers.filter((w) => w.running);
          await server.crashAndRestart();
          log(`server kill ${server.crashes}: SIGKILL of the Temporal dev server, back on the same database after ${Date.now() - downAt} ms`);
          for (const w of runningBefore.filter((w) => !w.running)) {
            problems.push(`${w.name} exited during the Temporal server outage:\n${w.output.slice(-2000)}`);
            await w.start();
          }
        },
      })),
    ].sort((a, b) => a.atUploads - b.atUploads);
    // Skew phases: behind, ahead, behind again. A phase gives way only after Moov has answered
    // some requests with it: a kill can hold the loop while the fleet passes several thresholds.
    const skewPhases = [
      { atUploads: at(0.1), offsetMs: -skew },
      { atUploads: at(0.45), offsetMs: skew },
      { atUploads: at(0.8), offsetMs: -skew },
    ];
    let currentSkewMs = 0;
    const skewServedEnough = async () =>
      currentSkewMs === 0 || (await admin.requests()).filter((r) => r.clockOffsetMs === currentSkewMs).length >= REQUESTS_PER_SKEW_PHASE;

    const stalled = () => Date.now() - lastProgressAt > options.stallTimeoutMs;
    while (done.size < fleet.length && !stalled()) {
      const uploadsSeen = (await admin.requests({ route: UPLOAD })).length;
      while (events.length > 0 && events[0]!.atUploads <= uploadsSeen) await events.shift()!.run();
      if (skewPhases.length > 0 && skewPhases[0]!.atUploads <= uploadsSeen && (await skewServedEnough())) {
        currentSkewMs = skewPhases.shift()!.offsetMs;
        await admin.skewClock(currentSkewMs);
        log(`Moov's clock ${currentSkewMs < 0 ? 'behind' : 'ahead'} by ${Math.abs(currentSkewMs) / 60_000} min`);
      }
      // A restart lands once Moov has seen the merchant's first write after its uploads: those are
      // done, and what may still be in flight is a write Moov itself refuses to repeat, or one that
      // sets the same values again.
      const restarting = fleet.filter((runs) => runs.wantsRestart);
      if (restarting.length > 0) {
        const wroteAfterUploads = new Set<string | undefined>();
        for (const route of WRITES_AFTER_UPLOADS) for (const r of await admin.requests({ route })) wroteAfterUploads.add(r.accountID);
        for (const runs of restarting.filter((r) => wroteAfterUploads.has(r.merchant.accountID))) {
          await runs.restart().catch((err: unknown) => problems.push(`${runs.merchant.accountID}: second run could not start: ${(err as Error).message}`));
          log(`second run for ${runs.merchant.accountID}: ${runs.secondRunKind}`);
        }
      }
      await pause(100);
    }
    const stuck = fleet.filter((runs) => !done.has(runs));
    for (const runs of stuck) {
      problems.push(`${runs.merchant.accountID}: still open when no remediation had finished for ${options.stallTimeoutMs / 1000} s: ${await runs.describe()}`);
      await runs.terminate('chaos: no progress');
    }
    const results = await outcomes;
    results.forEach((result, i) => {
      const runs = fleet[i]!;
      if (result.status === 'rejected' && !stuck.includes(runs)) {
        problems.push(`${runs.merchant.accountID}: workflow failed: ${failureMessage(result.reason)}`);
      }
    });

    // Late writes and slow answers can still land: the audit looks only once none is held.
    const held = await admin.held({ wait: true });
    let duplicates = 0;
    let lost = 0;
    let excerpts = 0;
    for (const runs of fleet) {
      const { accountID } = runs.merchant;
      const audit = auditAccount(await admin.state(accountID), runs.merchant.expected);
      duplicates += audit.duplicateFiles + audit.duplicateLinks + audit.duplicateConnections;
      lost += audit.missing;
      if (audit.exact) continue;
      const excerpt =
        excerpts++ < EXCERPTS_AT_MOST
          ? `\n${formatRequests(await admin.requests({ accountID }))}\n${await activityTimeline(client, remediationWorkflowId(accountID)).catch((err: unknown) => `  (no timeline: ${String(err)})`)}`
          : '';
      problems.push(`${accountID} (${runs.runs} run${runs.runs > 1 ? 's' : ''}${runs.secondRunKind ? `, ${runs.secondRunKind}` : ''}): ${audit.findings.join('; ')}${excerpt}`);
    }
    const injected = await admin.faultsByKind();
    const faultsByKind = { ...injected, ...clockSkewByKind(await admin.requests()) };
    return {
      remediations: fleet.length,
      runs: fleet.reduce((sum, runs) => sum + runs.runs, 0),
      completed: results.filter((r) => r.status === 'fulfilled').length,
      kills,
      serverKills: server.crashes,
      secondRuns: {
        'restart-mid-run': fleet.filter((r) => r.secondRunKind === 'restart-mid-run').length,
        'again-after-completion': fleet.filter((r) => r.secondRunKind === 'again-after-completion').length,
      },
      faultsByKind,
      faultsTotal: Object.values(injected).reduce((a, b) => a + b, 0),
      moovRequests: (await admin.requests()).length,
      heldRequestsFinished: held.finished,
      duplicates,
      lost,
      problems,
      wallTimeMs: Date.now() - started,
      twoWorkersPart,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await sandbox.close();
    await connection.close();
    await server.stop();
    await rm(filesRoot, { recursive: true, force: true });
  }
}

/** Terminated and started again, or started again after completing: a share each, at least one of each, never both. */
function chooseSecondRuns(size: number, options: Pick<ChaosOptions, 'restartShare' | 'rerunShare'>): Map<number, SecondRun> {
  const order = Array.from({ length: size }, (_, i) => i).sort(() => Math.random() - 0.5);
  const restarts = Math.max(1, Math.round(size * options.restartShare));
  const reruns = Math.max(1, Math.round(size * options.rerunShare));
  const chosen = new Map<number, SecondRun>();
  for (const i of order.slice(0, restarts)) chosen.set(i, 'restart-mid-run');
  for (const i of order.slice(restarts, restarts + reruns)) chosen.set(i, 'again-after-completion');
  return chosen;
}

/** Requests Moov answered with its clock behind or ahead of real time. */
function clockSkewByKind(requests: SandboxRequest[]): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const { clockOffsetMs } of requests) {
    if (!clockOffsetMs) continue;
    const kind = clockOffsetMs < 0 ? 'clock-skew:behind' : 'clock-skew:ahead';
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return byKind;
}

/** One line per request, for the report on an account the audit found wrong. */
function formatRequests(requests: SandboxRequest[]): string {
  return requests
    .map((r) => {
      const extras = [
        r.faultKind && `fault ${r.faultKind}`,
        r.clientGone && 'answer lost (client gone)',
        r.landedAt && `landed ${r.landedAt} → ${r.landedStatus}`,
        r.clockOffsetMs && `clock ${r.clockOffsetMs > 0 ? '+' : ''}${r.clockOffsetMs / 60_000} min`,
      ].filter(Boolean);
      return `    #${r.seq} ${r.at} ${r.route} → ${r.status ?? 'dropped'} ${r.requestId}${extras.length ? ` (${extras.join(', ')})` : ''}`;
    })
    .join('\n');
}

export function formatChaosSummary(s: ChaosSummary): string {
  const rows: [string, string][] = [
    ['remediations (merchants)', String(s.remediations)],
    ['workflow runs started', String(s.runs)],
    ['completed', String(s.completed)],
    ['worker SIGKILLs', String(s.kills)],
    ['Temporal server SIGKILLs (restarted on its database)', String(s.serverKills)],
    ['two workers on the queue part of the time', s.twoWorkersPart ? 'yes' : 'no'],
    ['second runs: terminated mid-run, started again', String(s.secondRuns['restart-mid-run'])],
    ['second runs: started again after completing', String(s.secondRuns['again-after-completion'])],
    ['Moov requests seen by the sandbox', String(s.moovRequests)],
    ['faults injected (clock-skew rows: requests answered skewed)', String(s.faultsTotal)],
    ...Object.entries(s.faultsByKind)
      .sort()
      .map(([kind, n]): [string, string] => [`  ${kind}`, String(n)]),
    ['held requests the sandbox acted on late', String(s.heldRequestsFinished)],
    ['duplicates found', String(s.duplicates)],
    ['lost', String(s.lost)],
    ['wall time', `${(s.wallTimeMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { startRemediation } from '../../../src/client';
import type { RemediationInput } from '../../../src/domain/remediation-input';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, startSandbox } from '../../../src/sandbox';
import { makeFilesRoot, writeAccountFiles } from '../../support/demo-files';
import { SandboxAdmin } from '../../support/sandbox-admin';
import { auditAccount } from '../../support/sandbox-audit';
import { createDevServerEnv } from '../../support/temporal-env';
import { WorkerProcess } from '../../support/worker-process';

export interface ChaosOptions {
  remediations: number;
  kills: number;
  /** Share of requests on every Moov route that get a fault. */
  faultProbability: number;
  log?: (line: string) => void;
}

export interface ChaosSummary {
  remediations: number;
  completed: number;
  kills: number;
  faultsByKind: Record<string, number>;
  faultsTotal: number;
  moovRequests: number;
  duplicates: number;
  lost: number;
  problems: string[];
  wallTimeMs: number;
  twoWorkersPart: boolean;
}

const RETRY_HINTS = [
  { status: 429, headers: { 'Retry-After': '1' } },
  { status: 429, headers: { 'X-Retry-In': '700' } },
  { status: 429, headers: { 'retry-after-ms': '500' } },
];
const SERVER_ERRORS = [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }];
const NETWORK = [{ latencyMs: 1500 }, { reset: true }];
const LOST_ANSWERS = [{ applyThenFail: 'status-500' }, { applyThenFail: 'reset' }];

/** Every Moov route a remediation uses; writes also get "Moov did it but the answer was lost". */
const ROUTES: { route: string; write: boolean }[] = [
  { route: 'GET /accounts/:accountID/files', write: false },
  { route: 'POST /accounts/:accountID/files', write: true },
  { route: 'POST /accounts/:accountID/resolution-links', write: true },
  { route: 'GET /accounts/:accountID/resolution-links', write: false },
  { route: 'POST /accounts/:accountID/connections', write: true },
  { route: 'PATCH /accounts/:accountID/payment-links/:code', write: true },
];

const FILES = ['passport.pdf', 'utility-bill.png'] as const;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs many full remediations against the sandbox with faults on every route while worker
 * processes are SIGKILLed and restarted, then checks Moov's side (the sandbox state) for exactly
 * one of everything: nothing duplicated, nothing lost.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const env = await createDevServerEnv();
  // Moov's production limit; each merchant has its own bucket, as at Moov.
  const sandbox = await startSandbox({ port: 0, rateLimitRps: 40, latencyMs: [5, 40] });
  const admin = new SandboxAdmin(sandbox.url);
  const filesRoot = await makeFilesRoot();
  const taskQueue = `chaos-${randomUUID()}`;
  const workerEnv = {
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    FILES_ROOT: filesRoot,
    MOOV_PARTNER_ACCOUNT_ID: DEFAULT_PARTNER_ACCOUNT_ID,
    MOOV_BASE_URL: sandbox.url,
    MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
    MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    // The worker says it is polling at info level; WorkerProcess waits for that line.
    LOG_LEVEL: 'info',
  };
  const workers = [new WorkerProcess('worker-a', workerEnv), new WorkerProcess('worker-b', workerEnv)];
  const problems: string[] = [];
  let kills = 0;
  let twoWorkersPart = false;
  try {
    const { accountID: principal } = await admin.seedAccount({ displayName: 'Platform' });
    const merchants: { accountID: string; code: string; email: string; value: number }[] = [];
    for (let i = 0; i < options.remediations; i++) {
      const email = `chaos-${i}@merchant.test`;
      const { accountID } = await admin.seedAccount({ displayName: `Chaos ${i}`, email });
      await writeAccountFiles(filesRoot, accountID);
      const { code } = await admin.seedPaymentLink(accountID);
      merchants.push({ accountID, code, email, value: 1000 + i });
    }
    for (const { route, write } of ROUTES) {
      await admin.addFault({
        route,
        probability: options.faultProbability,
        faults: [...RETRY_HINTS, ...SERVER_ERRORS, ...NETWORK, ...(write ? LOST_ANSWERS : [])],
      });
    }

    await workers[0]!.start();
    log(`worker-a up; starting ${merchants.length} remediations`);
    const handles = [];
    for (const m of merchants) {
      const input: RemediationInput = {
        accountID: m.accountID,
        files: FILES.map((path, index) => ({ path, filePurpose: index === 0 ? 'identity_verification' : 'business_verification' })),
        resolutionLink: { recipient: { email: m.email } },
        connection: { principalAccountID: principal, allowScopes: ['accounts.read'] },
        paymentLinks: [{ code: m.code, update: { amount: { currency: 'USD', value: m.value } } }],
        options: { followThrough: false, stepRetryTimeout: '30 minutes' },
      };
      handles.push((await startRemediation(env.client, input, { taskQueue })).handle);
    }
    const results = Promise.allSettled(handles.map((h) => h.result()));
    let settled = false;
    void results.then(() => (settled = true));

    // Kill while work is in flight: random live worker, at random points of the fleet's progress
    // (uploads Moov has seen, between 15 % and 85 % of them), not at a fixed time: a faster worker
    // would finish first. A second worker joins part of the time.
    const uploadsExpected = merchants.length * FILES.length;
    const killAt = Array.from({ length: options.kills }, () => Math.ceil(uploadsExpected * (0.15 + Math.random() * 0.7))).sort((a, b) => a - b);
    const uploadsSeen = async () => (await admin.requests({ route: 'POST /accounts/:accountID/files' })).length;
    while (!settled && kills < options.kills) {
      while (!settled && (await uploadsSeen()) < killAt[kills]!) await pause(100);
      if (settled) break;
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
      if (workers.every((w) => !w.running)) await victim.start();
      else if (Math.random() < 0.5) await victim.start();
    }
    if (!workers.some((w) => w.running)) await workers[0]!.start();
    const outcomes = await results;
    const completed = outcomes.filter((o) => o.status === 'fulfilled').length;
    outcomes.forEach((o, i) => {
      if (o.status === 'rejected') problems.push(`${merchants[i]!.accountID}: workflow failed: ${(o.reason as Error).message}`);
    });

    // Moov's side of the story, account by account.
    let duplicates = 0;
    let lost = 0;
    for (const m of merchants) {
      const audit = auditAccount(await admin.state(m.accountID), { files: FILES, paymentLinkValue: m.value });
      duplicates += audit.duplicateFiles + audit.duplicateLinks + audit.duplicateConnections;
      lost += audit.missing;
    }
    const faultsByKind = await admin.faultsByKind();
    const moovRequests = (await admin.requests()).length;
    return {
      remediations: merchants.length,
      completed,
      kills,
      faultsByKind,
      faultsTotal: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
      moovRequests,
      duplicates,
      lost,
      problems,
      wallTimeMs: Date.now() - started,
      twoWorkersPart,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await sandbox.close();
    await env.teardown();
    await rm(filesRoot, { recursive: true, force: true });
  }
}

export function formatChaosSummary(s: ChaosSummary): string {
  const rows: [string, string][] = [
    ['remediations', String(s.remediations)],
    ['completed', String(s.completed)],
    ['worker SIGKILLs', String(s.kills)],
    ['two workers on the queue part of the time', s.twoWorkersPart ? 'yes' : 'no'],
    ['Moov requests seen by the sandbox', String(s.moovRequests)],
    ['faults injected', String(s.faultsTotal)],
    ...Object.entries(s.faultsByKind)
      .sort()
      .map(([kind, n]): [string, string] => [`  ${kind}`, String(n)]),
    ['duplicates found', String(s.duplicates)],
    ['lost', String(s.lost)],
    ['wall time', `${(s.wallTimeMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { SEARCH_ATTRIBUTES } from '../src/domain/search-attributes';
import { DEFAULT_CREDENTIALS, startSandbox, type RateLimitScope, type SandboxHandle } from '../src/sandbox';
import { ensureServers } from '../src/temporal-servers/install';
import { toSdkExecutable } from '../src/temporal-servers/sdk-executable';
import { makeFilesRoot, SAMPLE_FILES } from '../test/support/demo-files';
import { SandboxAdmin } from '../test/support/sandbox-admin';
import { WorkerProcess } from '../test/support/worker-process';
import { findChildPids } from './proc';

/** The sandbox: Moov's production limit and 30–80 ms per call. */
export const SANDBOX_RPS = 40;
export const SANDBOX_LATENCY: [number, number] = [30, 80];

/** The two files every benchmark remediation uploads (a PDF and a PNG; sizes matter for dedupe). */
export const BENCH_FILES = [
  { path: 'passport.pdf', filePurpose: 'identity_verification' as const },
  { path: 'utility-bill.png', filePurpose: 'business_verification' as const },
];
export const BENCH_SCOPES = ['accounts.read'] as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Merchant {
  accountID: string;
  email: string;
}

/**
 * One Temporal dev server for the whole run, and per configuration a sandbox plus one worker
 * process (`node --import tsx src/worker.ts`, as `npm run worker` runs it) pointed at it.
 */
export class BenchHarness {
  sandbox: SandboxHandle | undefined;
  admin: SandboxAdmin | undefined;
  sandboxScope: RateLimitScope | undefined;
  worker: WorkerProcess | undefined;
  workerRate: number | undefined;
  taskQueue = `bench-${randomUUID()}`;
  serverPid: number | undefined;

  /** TEMPORAL_MAX_CACHED_WORKFLOWS for the worker processes; undefined = the worker's default. */
  maxCachedWorkflows: number | undefined;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly filesRoot: string,
    readonly log: (line: string) => void,
  ) {}

  static async start(log: (line: string) => void): Promise<BenchHarness> {
    const { 'dev-server': exe } = await ensureServers(['dev-server']);
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: toSdkExecutable(exe), port: await freePort(), searchAttributes: [...SEARCH_ATTRIBUTES], log: { format: 'pretty', level: 'error' } },
    });
    const harness = new BenchHarness(env, await makeFilesRoot(), log);
    harness.serverPid = findChildPids(process.pid, 'start-dev')[0];
    return harness;
  }

  /**
   * A fresh sandbox state with the given limit reading. Changing the reading starts a new sandbox
   * (a new URL), and so stops the worker pointed at the old one.
   */
  async useSandbox(rateLimitScope: RateLimitScope): Promise<void> {
    if (this.sandbox && this.sandboxScope === rateLimitScope) {
      await this.admin!.reset();
      return;
    }
    await this.stopWorker();
    await this.sandbox?.close();
    this.sandbox = await startSandbox({ port: 0, rateLimitRps: SANDBOX_RPS, latencyMs: SANDBOX_LATENCY, rateLimitScope });
    this.sandboxScope = rateLimitScope;
    this.admin = new SandboxAdmin(this.sandbox.url);
  }

  /** The sandbox (see useSandbox) plus one worker process on it with this task-queue activity rate. */
  async useWorker(rateLimitScope: RateLimitScope, maxActivitiesPerSecond: number, opts: { fresh?: boolean } = {}): Promise<WorkerProcess> {
    await this.useSandbox(rateLimitScope);
    if (this.worker?.running && this.workerRate === maxActivitiesPerSecond && !opts.fresh) return this.worker;
    await this.stopWorker();
    // A fresh queue per worker: nothing left over from the previous configuration reaches it.
    this.taskQueue = `bench-${randomUUID()}`;
    const worker = new WorkerProcess(`worker(${rateLimitScope} limit, ${maxActivitiesPerSecond} activities/s)`, {
      TEMPORAL_ADDRESS: this.env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      TEMPORAL_MAX_ACTIVITIES_PER_SECOND: String(maxActivitiesPerSecond),
      ...(this.maxCachedWorkflows !== undefined && { TEMPORAL_MAX_CACHED_WORKFLOWS: String(this.maxCachedWorkflows) }),
      FILES_ROOT: this.filesRoot,
      MOOV_BASE_URL: this.sandbox!.url,
      MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
      MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
      // Production's level; the worker announces "polling task queue" at info, which start() waits for.
      LOG_LEVEL: 'info',
    });
    const began = Date.now();
    await worker.start(120_000);
    this.worker = worker;
    this.workerRate = maxActivitiesPerSecond;
    this.log(`${worker.name} up in ${((Date.now() - began) / 1000).toFixed(1)} s (pid ${worker.pid})`);
    return worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
    this.workerRate = undefined;
  }

  /** A principal (the connection's other side) and `count` merchants with an email each. */
  async seedMerchants(count: number, prefix: string): Promise<{ principal: string; merchants: Merchant[] }> {
    const admin = this.admin!;
    const { accountID: principal } = await admin.seedAccount({ displayName: 'Bench Platform' });
    const merchants: Merchant[] = new Array(count);
    await inBatches(count, 50, async (i) => {
      const email = `${prefix}-${i}@merchant.test`;
      const { accountID } = await admin.seedAccount({ displayName: `${prefix} merchant ${i}`, email });
      merchants[i] = { accountID, email };
    });
    await admin.call('DELETE', '/_sandbox/requests');
    return { principal, merchants };
  }

  async close(): Promise<void> {
    await this.worker?.stop();
    await this.sandbox?.close();
    await this.env.teardown();
    await rm(this.filesRoot, { recursive: true, force: true });
  }
}

/** Runs task(0..count-1) with at most `limit` in flight. */
export async function inBatches(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/** What Moov holds afterwards, account by account: every extra copy is a duplicate, every absence a loss. */
export interface Audit {
  duplicateFiles: number;
  duplicateLinks: number;
  duplicateConnections: number;
  duplicates: number;
  missing: number;
  /** Accounts with exactly the expected state (each file once, one link, one connection). */
  exact: number;
  /** Of those, the ones the system also reported done: the goodput's numerator. */
  exactAndDone: number;
}

export async function auditSandbox(
  admin: SandboxAdmin,
  merchants: Merchant[],
  opts: { files: boolean; connection: boolean; done: ReadonlySet<string> },
): Promise<Audit> {
  const audit: Audit = { duplicateFiles: 0, duplicateLinks: 0, duplicateConnections: 0, duplicates: 0, missing: 0, exact: 0, exactAndDone: 0 };
  const fileNames = BENCH_FILES.map((f) => f.path);
  await inBatches(merchants.length, 20, async (i) => {
    const state = await admin.state(merchants[i]!.accountID);
    let ok = true;
    if (opts.files) {
      for (const name of fileNames) {
        const copies = state.files.filter((f) => f.fileName === name).length;
        if (copies > 1) audit.duplicateFiles += copies - 1;
        if (copies === 0) audit.missing += 1;
        if (copies !== 1) ok = false;
      }
    }
    const ours = state.resolutionLinks.filter((l) => l.recipient === merchants[i]!.email);
    if (ours.length > 1) audit.duplicateLinks += ours.length - 1;
    if (ours.length === 0) audit.missing += 1;
    if (ours.length !== 1) ok = false;
    if (opts.connection) {
      if (state.connections.length > 1) audit.duplicateConnections += state.connections.length - 1;
      if (state.connections.length === 0) audit.missing += 1;
      if (state.connections.length !== 1) ok = false;
    }
    if (ok) audit.exact += 1;
    if (ok && opts.done.has(merchants[i]!.accountID)) audit.exactAndDone += 1;
  });
  audit.duplicates = audit.duplicateFiles + audit.duplicateLinks + audit.duplicateConnections;
  return audit;
}

export const fileBytes = (path: string): number => SAMPLE_FILES[path]?.length ?? 0;

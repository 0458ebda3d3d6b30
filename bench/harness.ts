import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { RemediationInput } from '../src/domain/remediation-input';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, type RateLimitScope, type SandboxHandle } from '../src/sandbox';
import { mapBounded } from '../src/workflows/bounded-parallel';
import { makeFilesRoot, writeAccountFiles } from '../test/support/demo-files';
import { SandboxAdmin } from '../test/support/sandbox-admin';
import { startSandboxProcess } from './sandbox-process';
import { auditAccount } from '../test/support/sandbox-audit';
import { createDevServerEnv } from '../test/support/temporal-env';
import { WorkerProcess } from '../test/support/worker-process';
import { findChildPids } from './proc';

/** The sandbox: Moov's production limit and 30–80 ms per call. */
export const SANDBOX_RPS = 40;
export const SANDBOX_LATENCY: [number, number] = [30, 80];

/** The two files every benchmark remediation uploads (a PDF and a PNG; dedupe goes by their content hash). */
export const BENCH_FILES = [
  { path: 'passport.pdf', filePurpose: 'identity_verification' as const },
  { path: 'utility-bill.png', filePurpose: 'business_verification' as const },
];
export const BENCH_SCOPES = ['accounts.read'] as const;

export interface Merchant {
  accountID: string;
  email: string;
}

/** Every benchmark remediation's work: the two files, a link to the merchant, the connection to the platform. */
export function benchRemediationInput(merchant: Merchant, principal: string): RemediationInput {
  return {
    accountID: merchant.accountID,
    files: BENCH_FILES.map((f) => ({ path: f.path, filePurpose: f.filePurpose })),
    resolutionLink: { recipient: { email: merchant.email } },
    connection: { principalAccountID: principal, allowScopes: [...BENCH_SCOPES] },
    options: { followThrough: false },
  };
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
    const env = await createDevServerEnv();
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
    // A log that holds a whole run (5,000 parked remediations resume with about 10,000 requests).
    this.sandbox = await startSandboxProcess({ port: 0, rateLimitRps: SANDBOX_RPS, latencyMs: SANDBOX_LATENCY, rateLimitScope, requestLogSize: 500_000 });
    this.sandboxScope = rateLimitScope;
    this.admin = new SandboxAdmin(this.sandbox.url);
  }

  /**
   * The sandbox (see useSandbox) plus one worker process on it, told the limit the sandbox
   * enforces: MOOV_ACCOUNT_RATE_LIMIT always, MOOV_PARTNER_RATE_LIMIT under the partner-wide reading.
   */
  async useWorker(rateLimitScope: RateLimitScope, opts: { fresh?: boolean } = {}): Promise<WorkerProcess> {
    const sameSandbox = this.sandbox !== undefined && this.sandboxScope === rateLimitScope;
    await this.useSandbox(rateLimitScope);
    if (sameSandbox && this.worker?.running && !opts.fresh) return this.worker;
    await this.stopWorker();
    // A fresh queue per worker: nothing left over from the previous configuration reaches it.
    this.taskQueue = `bench-${randomUUID()}`;
    const worker = new WorkerProcess(`worker(${rateLimitScope} limit ${SANDBOX_RPS}/s)`, {
      TEMPORAL_ADDRESS: this.env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      MOOV_ACCOUNT_RATE_LIMIT: String(SANDBOX_RPS),
      ...(rateLimitScope === 'partner' && { MOOV_PARTNER_RATE_LIMIT: String(SANDBOX_RPS) }),
      ...(this.maxCachedWorkflows !== undefined && { TEMPORAL_MAX_CACHED_WORKFLOWS: String(this.maxCachedWorkflows) }),
      FILES_ROOT: this.filesRoot,
      MOOV_PARTNER_ACCOUNT_ID: DEFAULT_PARTNER_ACCOUNT_ID,
      MOOV_BASE_URL: this.sandbox!.url,
      MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
      MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
      // Production's level; the worker announces "polling task queue" at info, which start() waits for.
      LOG_LEVEL: 'info',
    });
    const began = Date.now();
    await worker.start(120_000);
    this.worker = worker;
    this.log(`${worker.name} up in ${((Date.now() - began) / 1000).toFixed(1)} s (pid ${worker.pid})`);
    return worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
  }

  /** A principal (the connection's other side) and `count` merchants with an email each. */
  async seedMerchants(count: number, prefix: string): Promise<{ principal: string; merchants: Merchant[] }> {
    const admin = this.admin!;
    const { accountID: principal } = await admin.seedAccount({ displayName: 'Bench Platform' });
    const merchants = await mapBounded(indexes(count), 50, async (i): Promise<Merchant> => {
      const email = `${prefix}-${i}@merchant.test`;
      const { accountID } = await admin.seedAccount({ displayName: `${prefix} merchant ${i}`, email });
      // The worker reads a merchant's files from FILES_ROOT/<accountID>/ (FILES_LAYOUT=per-account).
      await writeAccountFiles(this.filesRoot, accountID);
      return { accountID, email };
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

/** 0 … count − 1, for mapBounded over a count. */
export const indexes = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

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

export async function auditSandbox(admin: SandboxAdmin, merchants: Merchant[], done: ReadonlySet<string>): Promise<Audit> {
  const files = BENCH_FILES.map((f) => f.path);
  const accounts = await mapBounded(merchants, 20, async (m) => ({ id: m.accountID, ...auditAccount(await admin.state(m.accountID), { files }) }));
  const sum = (pick: (a: (typeof accounts)[number]) => number) => accounts.reduce((total, a) => total + pick(a), 0);
  const audit = {
    duplicateFiles: sum((a) => a.duplicateFiles),
    duplicateLinks: sum((a) => a.duplicateLinks),
    duplicateConnections: sum((a) => a.duplicateConnections),
    missing: sum((a) => a.missing),
    exact: accounts.filter((a) => a.exact).length,
    exactAndDone: accounts.filter((a) => a.exact && done.has(a.id)).length,
  };
  return { ...audit, duplicates: audit.duplicateFiles + audit.duplicateLinks + audit.duplicateConnections };
}

import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectClient } from '../../../src/client';
import { DEMO_FILE_NAMES, writeDemoFiles } from '../../../src/embedded/demo-files';
import { freePort } from '../../../src/net/ports';
import { MoovClient, moovConfigFromEnv } from '../../../src/moov';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle } from '../../../src/sandbox';
import type { RequestLogEntry } from '../../../src/sandbox';
import { startDevServer, type DevServerHandle } from '../../../src/temporal-servers/dev-server';
import { createRemediationWorker } from '../../../src/worker';
import { runCliProcess, type CliResult } from '../../support/cli-process';

/**
 * Everything an end-to-end test needs, started once per test file: a real Temporal dev server,
 * the Moov sandbox, and the remediation worker polling a task queue of its own. The CLI runs as
 * a child process against them, exactly as an operator would run it.
 */
export interface E2E {
  devServer: DevServerHandle;
  sandbox: SandboxHandle;
  client: Client;
  taskQueue: string;
  filesRoot: string;
  files: typeof DEMO_FILE_NAMES;
  stop(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const devServer = await startDevServer({ port: await freePort('127.0.0.1'), headless: true });
  const sandbox = await startSandbox({ port: 0, rateLimitRps: 0 });
  const filesRoot = await mkdtemp(path.join(tmpdir(), 'e2e-files-'));
  const files = DEMO_FILE_NAMES;
  const moov = new MoovClient(
    moovConfigFromEnv({ MOOV_BASE_URL: sandbox.url, MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey, MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey }),
  );
  const taskQueue = `e2e-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: devServer.address });
  const worker: Worker = await createRemediationWorker({ connection, namespace: 'default', taskQueue, moov, filesRoot, partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID });
  const running = worker.run();
  const client = await connectClient({ address: devServer.address, namespace: 'default', taskQueue });
  return {
    devServer,
    sandbox,
    client,
    taskQueue,
    filesRoot,
    files,
    async stop() {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
      await moov.close();
      await sandbox.close();
      await devServer.stop();
      await rm(filesRoot, { recursive: true, force: true });
    },
  };
}

export type { CliResult };

/** `tsx src/cli.ts …` with this harness's Temporal connection (and `env` on top) in its environment, as an operator runs it. */
export function runCli(e2e: E2E, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return runCliProcess(args, { address: e2e.devServer.address, taskQueue: e2e.taskQueue, env }, timeoutMs);
}

async function admin<T>(e2e: E2E, method: string, urlPath: string, body?: unknown): Promise<T> {
  const response = await fetch(`${e2e.sandbox.url}/_sandbox${urlPath}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox admin ${method} ${urlPath} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface SandboxState {
  files: { fileID: string; fileName: string; filePurpose: string; metadata?: string }[];
  resolutionLinks: { code: string; status: string; recipient: string }[];
  connections: { principalAccountID: string; allowScopes: string[] }[];
  paymentLinks: { code: string; status: string; display: { title: string; description: string; callToAction: string }; payment?: { allowedMethods: string[] } }[];
}

export const sandboxAdmin = {
  /** A merchant with no requirement errors, so follow-through ends `resolved` at its first check. */
  async createAccount(e2e: E2E, extra: Record<string, unknown> = {}): Promise<string> {
    const accountID = randomUUID();
    await admin(e2e, 'POST', '/accounts', { accountID, displayName: 'E2E Merchant LLC', email: 'owner@e2e.example', ...extra });
    // The worker reads an account's documents from FILES_ROOT/<accountID>/ (FILES_LAYOUT=per-account).
    await writeDemoFiles(path.join(e2e.filesRoot, accountID));
    return accountID;
  },
  seedPaymentLink: (e2e: E2E, accountID: string, code: string) =>
    admin(e2e, 'POST', `/accounts/${accountID}/payment-links`, { code, amount: { value: 1500 }, display: { title: 'Class' } }),
  /** Another party's active link, which blocks ours until it ends or is replaced. */
  seedForeignLink: (e2e: E2E, accountID: string) =>
    admin<{ code: string }>(e2e, 'POST', `/accounts/${accountID}/resolution-links`, { recipient: 'someone-else@other.example' }),
  addFault: (e2e: E2E, rule: Record<string, unknown>) => admin(e2e, 'POST', '/faults', rule),
  state: (e2e: E2E, accountID: string) => admin<SandboxState>(e2e, 'GET', `/accounts/${accountID}/state`),
  requests: (e2e: E2E, accountID: string) => admin<RequestLogEntry[]>(e2e, 'GET', `/requests?accountID=${encodeURIComponent(accountID)}`),
};

/** Written next to the demo files, so it goes away with them; a string is written verbatim. */
export async function writeInputFile(e2e: E2E, name: string, value: unknown): Promise<string> {
  const file = path.join(e2e.filesRoot, `input-${name}.json`);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

export { eventually } from '../../support/eventually';

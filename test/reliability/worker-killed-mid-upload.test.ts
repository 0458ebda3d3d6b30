import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connectClient, startRemediation, waitForRemediation } from '../../src/client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { makeFilesRoot, writeAccountFiles } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { createDevServerEnv } from '../support/temporal-env';
import { WorkerProcess, sandboxWorkerEnv } from '../support/worker-process';

/**
 * The chaos run's `af622961…`: a worker SIGKILLed while its retry's upload was on the wire. That
 * attempt had listed the account's files just before, so the SDK's heartbeat throttling
 * (docs.temporal.io/encyclopedia/detecting-activity-failures#throttling) had sent its `listing`
 * record and was still holding the in-flight one. The next attempt found no record of an upload,
 * listed before the first had landed, and uploaded again: two files at Moov.
 *
 * Real worker processes on the real dev server; Moov (the sandbox) stores the held upload
 * `LANDS_AFTER_MS` after it arrived, after the next attempt's first look.
 */
const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';
const LANDS_AFTER_MS = 30_000;
/** The worker's HTTP timeouts: the longest request they allow (47 s) outlasts the late landing. */
const HTTP_TIMEOUTS = { connectTimeoutMs: 2_000, headersTimeoutMs: 40_000, bodyTimeoutMs: 5_000 };

jest.setTimeout(240_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;
let client: Client;
const taskQueue = `worker-killed-${randomUUID()}`;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await client?.connection.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

function startWorker(name: string): Promise<void> {
  const worker = new WorkerProcess(name, sandboxWorkerEnv({ temporalAddress: env.address, taskQueue, filesRoot, moovBaseUrl: sandbox.url, httpTimeouts: HTTP_TIMEOUTS }));
  workers.push(worker);
  return worker.start();
}

/** Polls the sandbox until it holds a request (the test waits on Moov's state, not on a timer). */
async function untilARequestIsHeld(deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while ((await admin.held()).held === 0) {
    if (Date.now() > deadline) throw new Error('no request was ever held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a worker SIGKILLed while a retry\'s upload is on the wire: the next attempt waits for it to land and does not upload again', async () => {
  const { accountID } = await admin.seedAccount({ displayName: 'Killed Mid Upload Bakery' });
  await writeAccountFiles(filesRoot, accountID);
  // The first attempt is refused (answered, so its retry lists); the retry's upload is held.
  await admin.addFault({
    route: UPLOAD_ROUTE,
    accountID,
    sequence: [{ status: 429, headers: { 'retry-after': '1' } }, { slowAnswerMs: LANDS_AFTER_MS }],
  });
  await startWorker('worker-a');

  const { workflowId } = await startRemediation(
    client,
    { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }], options: { followThrough: false } },
    { taskQueue },
  );
  await untilARequestIsHeld(60_000);
  await workers[0]!.kill();
  await startWorker('worker-b');
  const result = await waitForRemediation(client, workflowId);
  await admin.held({ wait: true });

  expect(result.phase).toBe('completed');
  const stored = (await admin.state(accountID)).files;
  expect(stored).toHaveLength(1);
  expect(result.files).toEqual([expect.objectContaining({ path: 'passport.pdf', fileID: stored[0]!.fileID })]);
  // The refused one and the held one: no third upload.
  expect(await admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(2);
});

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RemediationInput } from '../../src/domain/remediation-input';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { minimalPdf } from '../../src/embedded/demo-files';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { TEST_CREDENTIALS, startS3Server, type S3Server } from '../support/s3-server';
import { SandboxAdmin } from '../support/sandbox-admin';
import { createTimeSkippingEnv } from '../support/temporal-env';
import { WorkerProcess, sandboxWorkerEnv } from '../support/worker-process';

/**
 * The worker's own memory while a 9.9 MB object streams from object storage to Moov: `npm run
 * worker` as a child process configured with DOCUMENTS_URL (no FILES_ROOT), moto_server and the
 * sandbox outside it, its peak RSS read from /proc (VmHWM) after a warm-up upload and after the
 * large one.
 */
let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let s3: S3Server;
let worker: WorkerProcess;
const taskQueue = `s3-memory-${randomUUID()}`;
const BUCKET = 'worker-memory';

beforeAll(async () => {
  [env, sandbox, s3] = await Promise.all([createTimeSkippingEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), startS3Server()]);
  await s3.createBucket(BUCKET);
  const { FILES_ROOT: _none, ...workerEnv } = sandboxWorkerEnv({
    temporalAddress: env.address,
    taskQueue,
    filesRoot: '',
    moovBaseUrl: sandbox.url,
    httpTimeouts: { connectTimeoutMs: 5_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 },
  });
  worker = new WorkerProcess('s3-worker', {
    ...workerEnv,
    DOCUMENTS_URL: `s3://${BUCKET}/merchants`,
    DOCUMENTS_S3_ENDPOINT: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    LOG_LEVEL: 'info',
  });
  await worker.start();
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await s3?.close();
  await env?.teardown();
});

const kib = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

async function remediate(name: string, bytes: Buffer): Promise<{ accountID: string; status: RemediationStatus }> {
  const { accountID } = await new SandboxAdmin(sandbox.url).seedAccount({ displayName: name });
  await s3.put(BUCKET, `merchants/${accountID}/articles.pdf`, bytes, 'application/pdf');
  const input: RemediationInput = { accountID, files: [{ path: 'articles.pdf', filePurpose: 'business_verification' }], options: { followThrough: false } };
  const status = (await env.client.workflow.execute('merchantRemediation', { taskQueue, workflowId: remediationWorkflowId(accountID), args: [input] })) as RemediationStatus;
  return { accountID, status };
}

test('the worker uploads a 9.9 MB object from storage and its peak RSS is reported', async () => {
  const pid = worker.pid!;
  const head = minimalPdf('Articles of organization');
  // Warm-up: the SDK's modules, the connections and the workflow bundle are loaded by a small upload first.
  await remediate('Warm Up Yoga', Buffer.concat([head, randomBytes(2000)]));
  const peakBefore = kib(pid, 'VmHWM');
  const rssBefore = kib(pid, 'VmRSS');

  const large = Buffer.concat([head, randomBytes(Math.round(9.9 * 1000 * 1000) - head.length)]);
  const { accountID, status } = await remediate('Large Yoga', large);

  const peakAfter = kib(pid, 'VmHWM');
  console.log(`worker process: RSS ${(rssBefore / 1024).toFixed(1)} MiB before, peak ${(peakBefore / 1024).toFixed(1)} MiB before and ${(peakAfter / 1024).toFixed(1)} MiB after the 9.9 MB upload (+${((peakAfter - peakBefore) / 1024).toFixed(1)} MiB)`);
  expect(status.files).toEqual([expect.objectContaining({ state: 'uploaded' })]);
  const stored = (await new SandboxAdmin(sandbox.url).state(accountID)).files;
  expect(stored.map((f) => f.contentSHA256)).toEqual([createHash('sha256').update(large).digest('hex')]);
});

import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { connectClient, startRemediation, waitForRemediation } from '../../src/client';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle } from '../../src/sandbox';
import { makeFilesRoot, writeAccountFiles } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { createDevServerEnv } from '../support/temporal-env';
import { maxInSlidingWindow } from '../support/rate-peaks';

/**
 * Scale-out: two `npm run worker` processes share one task queue. The server hands activities to
 * both, and TEMPORAL_MAX_ACTIVITIES_PER_SECOND (maxTaskQueueActivitiesPerSecond) paces the queue as
 * a whole, so the second worker adds capacity without adding Moov traffic.
 *
 * The numbers. The sandbox limits each *account ID* to SANDBOX_RPS, while the task-queue limit is
 * *queue-wide*. With one account per remediation no single account comes near its own limit, so
 * "no 429s" alone would prove little. The assertion that matters is stricter than the sandbox: the
 * *combined* traffic of all accounts, from both workers, stays within SANDBOX_RPS in every sliding
 * 1-second window, as if the whole partner shared one budget.
 *
 * Each remediation is 5 activities (plan, 2 uploads, link, connection) making 5 requests: a first
 * upload attempt trusts the plan's list of the account's files (a retry would list again, making
 * 2). The server's token buckets (one per task queue partition) let a burst through on top of the
 * rate: up to 12 activity starts in one second were seen at QUEUE_RATE = 5. At up to 2 requests per
 * activity that is 24 requests, so SANDBOX_RPS = 6 × QUEUE_RATE = 30 leaves a margin. Unthrottled (QUEUE_RATE = 1000), the same run peaks at about
 * 84 requests in a second and is over in about 4 s; paced, it takes about 25 s, and the test checks
 * that too (the span of the requests is close to activities / QUEUE_RATE).
 */
const REMEDIATIONS = 24;
const QUEUE_RATE = 5;
const SANDBOX_RPS = 6 * QUEUE_RATE;
const ACTIVITIES_PER_REMEDIATION = 5;
const REQUESTS_PER_REMEDIATION = 5;
const IDENTITIES = ['remediation-worker-a', 'remediation-worker-b'];
const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;
let client: Client;
const taskQueue = `scale-test-${randomUUID()}`;
const workers: { identity: string; child: ChildProcess; output: string; exited: Promise<void> }[] = [];

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0, rateLimitRps: SANDBOX_RPS }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  for (const identity of IDENTITIES) workers.push(startWorkerProcess(identity));
  client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
  await waitForPollers(IDENTITIES, 60_000);
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map(stopWorkerProcess));
  await client?.connection.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

test('two worker processes share the queue; together they stay under the Moov rate', async () => {
  const principal = await admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' });
  const merchants: string[] = [];
  for (let i = 0; i < REMEDIATIONS; i++) {
    const { accountID } = await admin.seedAccount({ displayName: `Scale Merchant ${i}`, accountType: 'business', email: `owner${i}@merchant.test` });
    await writeAccountFiles(filesRoot, accountID);
    merchants.push(accountID);
  }

  const started = await Promise.all(
    merchants.map((accountID, i) =>
      startRemediation(
        client,
        {
          accountID,
          files: [
            { path: 'passport.pdf', filePurpose: 'identity_verification' },
            { path: 'utility-bill.png', filePurpose: 'business_verification' },
          ],
          resolutionLink: { recipient: { email: `owner${i}@merchant.test` } },
          connection: { principalAccountID: principal.accountID },
          options: { followThrough: false },
        },
        { taskQueue },
      ),
    ),
  );
  const results = await Promise.all(started.map((s) => waitForRemediation(client, s.workflowId)));
  expect(results.map((r) => r.phase)).toEqual(merchants.map(() => 'completed'));

  // (a) Both workers ran activities: ActivityTaskStarted events name the worker that picked the task up.
  const perWorker = new Map<string, number>();
  const starts: number[] = [];
  for (const { workflowId } of started) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity && event.eventTime) starts.push(Number(event.eventTime.seconds) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6));
      if (identity) perWorker.set(identity, (perWorker.get(identity) ?? 0) + 1);
    }
  }
  expect([...perWorker.keys()].sort()).toEqual(IDENTITIES);
  const activities = [...perWorker.values()].reduce((a, b) => a + b, 0);
  expect(activities).toBe(REMEDIATIONS * ACTIVITIES_PER_REMEDIATION); // no retries were needed
  for (const count of perWorker.values()) expect(count).toBeGreaterThanOrEqual(activities * 0.1);

  // (b) The combined request rate stayed under the limit: no 429 and no 1-second window over it.
  const requests = await admin.requests();
  expect(requests).toHaveLength(REMEDIATIONS * REQUESTS_PER_REMEDIATION);
  expect(requests.filter((r) => r.status === 429)).toEqual([]);
  const peak = maxInSlidingWindow(requests.map((r) => Date.parse(r.at)), 1000);
  expect(peak).toBeLessThanOrEqual(SANDBOX_RPS);
  // Paced by the queue, not by chance: unthrottled, this would all be over within a couple of seconds.
  const times = requests.map((r) => Date.parse(r.at));
  const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
  expect(spanSeconds).toBeGreaterThanOrEqual((0.75 * activities) / QUEUE_RATE);
  console.log(
    `scale test: ${activities} activities (${[...perWorker].map(([id, n]) => `${id} ${n}`).join(', ')}), at most ${maxInSlidingWindow(starts, 1000)} started in 1 s; ` +
      `${requests.length} requests over ${spanSeconds.toFixed(1)} s, at most ${peak} in 1 s (limit ${SANDBOX_RPS}, queue rate ${QUEUE_RATE}/s)`,
  );
});

/** `npm run worker` as its own process group, so that afterAll can end it and anything it spawned. */
function startWorkerProcess(identity: string) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_') && !name.startsWith('MOOV_')));
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/worker.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_MAX_ACTIVITIES_PER_SECOND: String(QUEUE_RATE),
      TEMPORAL_WORKER_IDENTITY: identity,
      FILES_ROOT: filesRoot,
      MOOV_PARTNER_ACCOUNT_ID: DEFAULT_PARTNER_ACCOUNT_ID,
      MOOV_BASE_URL: sandbox.url,
      MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
      MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    },
  });
  const worker = { identity, child, output: '', exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  const keep = (chunk: Buffer) => {
    worker.output = (worker.output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return worker;
}

async function stopWorkerProcess(worker: (typeof workers)[number]): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(-child.pid, 'SIGTERM'); // the worker drains and exits
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([worker.exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
  clearTimeout(timer);
  if (!stopped) {
    process.kill(-child.pid, 'SIGKILL');
    await worker.exited;
  }
}

/** Ready when the server lists a poller with each identity on the queue's activity side. */
async function waitForPollers(identities: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const exited = workers.find((w) => w.child.exitCode !== null);
    if (exited) throw new Error(`${exited.identity} exited during start-up:\n${exited.output}`);
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    seen = (pollers ?? []).map((p) => p.identity ?? '');
    if (identities.every((id) => seen.includes(id))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`workers not polling after ${timeoutMs} ms (pollers: ${seen.join(', ') || 'none'}):\n${workers.map((w) => `--- ${w.identity}\n${w.output}`).join('\n')}`);
}

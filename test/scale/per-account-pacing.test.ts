import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectClient, startRemediation, waitForRemediation } from '../../src/client';
import { pacingOf } from '../../src/config/task-queue-config';
import type { MoovClient } from '../../src/moov';
import { DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle } from '../../src/sandbox';
import { createRemediationWorker } from '../../src/worker';
import { makeFilesRoot } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { createDevServerEnv } from '../support/temporal-env';
import { maxInFixedSeconds, maxInSlidingWindow } from '../support/rate-peaks';

/**
 * Per-account pacing, enforced by the Temporal server (docs/deploying.md, "Per-account pacing").
 * The worker sets the task queue's per-fairness-key rate at start (MOOV_ACCOUNT_RATE_LIMIT, here
 * 2/s), every activity carries its Moov account ID as fairness key, and two merchants with many
 * uploads each run at once. Nothing is timed here: the sandbox's request log is the measure.
 *
 * - Each account's requests stay within its own rate in every sliding 1-second window, plus the
 *   server's burst: its token bucket starts full and refills while a key is idle, so one second can
 *   hold the bucket (one second's worth, and one token more, as measured on the 1.32 dev server with one
 *   partition) plus that second's rate: at most 2 × rate + 1.
 * - The two accounts do not share one budget: their requests interleave, and together they finish
 *   in about the time one account needs alone, not twice that.
 *
 * The sandbox's own limiter is off (rateLimitRps 0), so any pacing seen is the server's.
 */
const ACCOUNT_RATE = 2;
const BURST_TOLERANCE = ACCOUNT_RATE + 1;
const FILES_PER_ACCOUNT = 16;
/** The plan lists the account's files once, then one request per upload (a first attempt trusts the plan). */
const REQUESTS_PER_ACCOUNT = 1 + FILES_PER_ACCOUNT;

jest.setTimeout(90_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;
let moov: MoovClient;
let worker: Worker;
let running: Promise<void>;
let client: Client;
const taskQueue = `pacing-test-${randomUUID()}`;

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
  worker = await createRemediationWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    moov,
    filesRoot,
    partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID,
    accountRateLimit: ACCOUNT_RATE,
  });
  running = worker.run();
  client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
}, 60_000);

afterAll(async () => {
  if (worker) {
    worker.shutdown();
    await running;
  }
  await client?.connection.close();
  await moov?.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

test("the worker applies the queue's per-account rate, and the server paces two accounts independently", async () => {
  // (a) The configuration is on the server, as the API reads it back.
  const described = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportConfig: true,
  });
  expect(pacingOf(described.config)).toEqual({ accountRateLimit: ACCOUNT_RATE }); // and no queue-wide rate
  expect(described.config?.fairnessKeysRateLimitDefault?.metadata?.reason).toMatch(/MOOV_ACCOUNT_RATE_LIMIT/);

  // (b) Two merchants, each with FILES_PER_ACCOUNT distinct documents, uploaded 10 at a time.
  const accounts: string[] = [];
  for (const name of ['Pacing Merchant A', 'Pacing Merchant B']) {
    const { accountID } = await admin.seedAccount({ displayName: name, accountType: 'business' });
    const dir = path.join(filesRoot, accountID);
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < FILES_PER_ACCOUNT; i++) await writeFile(path.join(dir, `ledger-${i}.csv`), `account,row\n${accountID},${i}\n`);
    accounts.push(accountID);
  }
  const started = await Promise.all(
    accounts.map((accountID) =>
      startRemediation(
        client,
        {
          accountID,
          files: Array.from({ length: FILES_PER_ACCOUNT }, (_, i) => ({ path: `ledger-${i}.csv`, filePurpose: 'merchant_underwriting' as const })),
          options: { followThrough: false, uploadConcurrency: 10 },
        },
        { taskQueue },
      ),
    ),
  );
  const results = await Promise.all(started.map((s) => waitForRemediation(client, s.workflowId)));
  expect(results.map((r) => r.phase)).toEqual(['completed', 'completed']);

  // Every activity was scheduled with its account as fairness key (and the step's priority).
  for (const [i, { workflowId }] of started.entries()) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    expect(scheduled).toHaveLength(1 + FILES_PER_ACCOUNT);
    for (const attributes of scheduled) expect(attributes.priority?.fairnessKey).toBe(accounts[i]);
    expect(new Set(scheduled.map((a) => a.priority?.priorityKey))).toEqual(new Set([5, 4]));
  }

  // (c) What Moov saw, account by account.
  const requests = await admin.requests();
  expect(requests.filter((r) => r.status === 429)).toEqual([]);
  const timesOf = (accountID: string) => requests.filter((r) => r.accountID === accountID).map((r) => Date.parse(r.at)).sort((a, b) => a - b);
  const perAccount = accounts.map(timesOf);
  const lines: string[] = [];
  for (const [i, times] of perAccount.entries()) {
    expect(times).toHaveLength(REQUESTS_PER_ACCOUNT);
    const peak = maxInSlidingWindow(times, 1000);
    expect(peak).toBeLessThanOrEqual(ACCOUNT_RATE + BURST_TOLERANCE);
    // Paced, not by chance: unpaced, 17 requests at 10 uploads in flight take well under a second.
    const spanS = (times.at(-1)! - times[0]!) / 1000;
    expect(spanS).toBeGreaterThanOrEqual((REQUESTS_PER_ACCOUNT - ACCOUNT_RATE - BURST_TOLERANCE) / ACCOUNT_RATE);
    lines.push(`account ${'AB'[i]}: ${times.length} requests over ${spanS.toFixed(1)} s, at most ${peak} in any 1 s (fixed seconds: ${maxInFixedSeconds(times)})`);
  }

  // (d) Independently: each account's requests interleave with the other's, and the two together
  // took about as long as one alone (one shared budget would have taken twice as long).
  const [a, b] = perAccount as [number[], number[]];
  const within = (times: number[], other: number[]) => times.filter((t) => t > other[0]! && t < other.at(-1)!).length;
  expect(within(b, a)).toBeGreaterThanOrEqual(REQUESTS_PER_ACCOUNT / 2);
  expect(within(a, b)).toBeGreaterThanOrEqual(REQUESTS_PER_ACCOUNT / 2);
  const all = [...a, ...b].sort((x, y) => x - y);
  const unionS = (all.at(-1)! - all[0]!) / 1000;
  expect(unionS).toBeLessThan((0.75 * all.length) / ACCOUNT_RATE);
  const combinedPeak = maxInSlidingWindow(all, 1000);
  expect(combinedPeak).toBeGreaterThan(ACCOUNT_RATE);
  console.log(
    `per-account pacing at ${ACCOUNT_RATE}/s per fairness key: ${lines.join('; ')}; both: ${all.length} requests over ${unionS.toFixed(1)} s, at most ${combinedPeak} in any 1 s`,
  );
});

import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectClient, startRemediation, waitForRemediation } from '../../src/client';
import { pacingOf } from '../../src/config/task-queue-config';
import { RequestPacer, pacedRate, type DepartOutcome, type MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { moovLimitsOf } from '../../src/config/worker-config';
import { makeFilesRoot } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxWorker } from '../support/sandbox-worker';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { createDevServerEnv } from '../support/temporal-env';
import { maxInFixedSeconds, maxInSlidingWindow } from '../support/rate-peaks';

/**
 * Per-account pacing, enforced by the Temporal server (docs/deploying.md, "Per-account pacing").
 * The worker sets the task queue's per-fairness-key rate at start (MOOV_ACCOUNT_RATE_LIMIT, here
 * 2/s, less the pacer's 2.5 % margin), every activity carries its Moov account ID as fairness key,
 * and two merchants with many uploads each run at once. Nothing is timed here: the sandbox's
 * request log is the measure.
 *
 * - The server alone (a Moov client without the worker's pacer): each account's requests stay
 *   within its own rate in every sliding 1-second window, plus the server's burst: its limiter
 *   (GCRA with one second of burst) refills while a key is idle, so one second can hold one
 *   second's worth, one more, and that second's rate: at most 2 × rate + 1.
 * - The worker as `npm run worker` builds it (the pacer in its Moov client, src/moov/request-pacer.ts):
 *   no account above its limit in any 1-second window as the requests leave the pacer; with a
 *   partner cap, nor the two together (the sandbox's arrivals, bunched by its own pauses, within one more).
 * - The two accounts do not share one budget: their requests interleave, and together they finish
 *   in about the time one account needs alone, not twice that.
 *
 * The sandbox's own limiter is off (rateLimitRps 0), so any pacing seen is ours.
 */
const ACCOUNT_RATE = 2;
const SERVER_BURST = ACCOUNT_RATE + 1;
const FILES_PER_ACCOUNT = 16;
/** The plan lists the account's files once, then one request per upload (a first attempt trusts the plan). */
const REQUESTS_PER_ACCOUNT = 1 + FILES_PER_ACCOUNT;

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

interface PacingRun {
  taskQueue: string;
  client: Client;
  accounts: string[];
  workflowIds: string[];
  /** Per account, when the sandbox saw each of its requests. */
  perAccount: number[][];
}

/** Two merchants with FILES_PER_ACCOUNT documents each, uploaded 10 at a time, on a worker of their own. */
async function twoHeavyMerchants(limits: { partnerRateLimit?: number }, moov: MoovClient): Promise<PacingRun> {
  const taskQueue = `pacing-test-${randomUUID()}`;
  const worker: Worker = await sandboxWorker(env, { taskQueue, moov, filesRoot, accountRateLimit: ACCOUNT_RATE, ...limits });
  const running = worker.run();
  const client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
  try {
    await admin.call('DELETE', '/_sandbox/requests');
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
    const requests = await admin.requests();
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    const timesOf = (accountID: string) => requests.filter((r) => r.accountID === accountID).map((r) => Date.parse(r.at)).sort((a, b) => a - b);
    const perAccount = accounts.map(timesOf);
    for (const times of perAccount) expect(times).toHaveLength(REQUESTS_PER_ACCOUNT);
    return { taskQueue, client, accounts, workflowIds: started.map((s) => s.workflowId), perAccount };
  } finally {
    worker.shutdown();
    await running;
    await client.connection.close();
  }
}

const describeLine = (perAccount: number[][]) =>
  perAccount
    .map((times, i) => `account ${'AB'[i]}: ${times.length} requests over ${((times.at(-1)! - times[0]!) / 1000).toFixed(1)} s, at most ${maxInSlidingWindow(times, 1000)} in any 1 s (fixed seconds: ${maxInFixedSeconds(times)})`)
    .join('; ');

/** The two accounts ran side by side, not one after the other (one shared budget would take twice as long). */
function expectIndependent(perAccount: number[][]): number[] {
  const [a, b] = perAccount as [number[], number[]];
  const within = (times: number[], other: number[]) => times.filter((t) => t > other[0]! && t < other.at(-1)!).length;
  expect(within(b, a)).toBeGreaterThanOrEqual(REQUESTS_PER_ACCOUNT / 2);
  expect(within(a, b)).toBeGreaterThanOrEqual(REQUESTS_PER_ACCOUNT / 2);
  const all = [...a, ...b].sort((x, y) => x - y);
  expect((all.at(-1)! - all[0]!) / 1000).toBeLessThan((0.75 * all.length) / ACCOUNT_RATE);
  expect(maxInSlidingWindow(all, 1000)).toBeGreaterThan(ACCOUNT_RATE);
  return all;
}

test("the worker applies the queue's per-account rate, and the server paces two accounts independently", async () => {
  // A client without the worker's pacer: what is seen is the server's pacing alone.
  const moov = sandboxMoovClient(sandbox.url);
  let run: PacingRun;
  try {
    run = await twoHeavyMerchants({}, moov);
  } finally {
    await moov.close();
  }
  // (a) The configuration is on the server, as the API reads it back (read through a fresh client:
  // the run's own is closed).
  const client = await connectClient({ address: env.address, namespace: 'default', taskQueue: run.taskQueue });
  try {
    const described = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: run.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportConfig: true,
    });
    // The API holds a float (1.95 reads back as 1.9500000476…); no queue-wide rate.
    const applied = pacingOf(described.config);
    expect(Object.keys(applied)).toEqual(['accountRateLimit']);
    expect(applied.accountRateLimit).toBeCloseTo(pacedRate(ACCOUNT_RATE), 5);
    expect(described.config?.fairnessKeysRateLimitDefault?.metadata?.reason).toMatch(/MOOV_ACCOUNT_RATE_LIMIT/);

    // (b) Every activity was scheduled with its account as fairness key (and the step's priority).
    for (const [i, workflowId] of run.workflowIds.entries()) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
      expect(scheduled).toHaveLength(1 + FILES_PER_ACCOUNT);
      for (const attributes of scheduled) expect(attributes.priority?.fairnessKey).toBe(run.accounts[i]);
      expect(new Set(scheduled.map((a) => a.priority?.priorityKey))).toEqual(new Set([5, 4]));
    }
  } finally {
    await client.connection.close();
  }

  // (c) What Moov saw, account by account: within the rate plus the server's burst, and paced, not
  // by chance (unpaced, 17 requests at 10 uploads in flight take well under a second).
  for (const times of run.perAccount) {
    expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(ACCOUNT_RATE + SERVER_BURST);
    expect((times.at(-1)! - times[0]!) / 1000).toBeGreaterThanOrEqual((REQUESTS_PER_ACCOUNT - ACCOUNT_RATE - SERVER_BURST) / ACCOUNT_RATE);
  }
  // (d) Independently.
  expectIndependent(run.perAccount);
  console.log(`server pacing at ${pacedRate(ACCOUNT_RATE)}/s per fairness key: ${describeLine(run.perAccount)}`);
});

/** The worker's pacer, recording when each request left it (the moment it lets a request go). */
class RecordingPacer extends RequestPacer {
  readonly left: { accountID: string | undefined; at: number }[] = [];
  override depart(accountID: string | undefined): DepartOutcome {
    const outcome = super.depart(accountID);
    if (outcome.departure) this.left.push({ accountID, at: performance.now() });
    return outcome;
  }
  timesOf(accountID: string): number[] {
    return this.left.filter((d) => d.accountID === accountID).map((d) => d.at);
  }
}

/**
 * What the sandbox sees may be bunched by its own pauses: it shares the test's process (and, in
 * `npm test`, the machine with other suites). The pacer's own record is held to the limit exactly;
 * the sandbox's arrivals to the limit plus one.
 */
const ARRIVAL_JITTER_ALLOWANCE = 1;

test('with the worker\'s pacer, no account is sent more than its limit in any second, and a partner cap binds both together', async () => {
  // (a) Per-account limit only: each account ≤ its limit in every sliding second, the two independent.
  const pacer = new RecordingPacer(moovLimitsOf({ accountRateLimit: ACCOUNT_RATE }));
  const perAccountMoov = sandboxMoovClient(sandbox.url, {}, { pacer });
  let run: PacingRun;
  try {
    run = await twoHeavyMerchants({}, perAccountMoov);
  } finally {
    await perAccountMoov.close();
  }
  for (const [i, times] of run.perAccount.entries()) {
    const left = pacer.timesOf(run.accounts[i]!);
    expect(left).toHaveLength(REQUESTS_PER_ACCOUNT);
    expect(maxInSlidingWindow(left, 1000)).toBeLessThanOrEqual(ACCOUNT_RATE);
    expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(ACCOUNT_RATE + ARRIVAL_JITTER_ALLOWANCE);
    // Spaced at the paced rate: 16 gaps of at least 1 ÷ 1.95 s.
    expect((left.at(-1)! - left[0]!) / 1000).toBeGreaterThanOrEqual((REQUESTS_PER_ACCOUNT - 1) / pacedRate(ACCOUNT_RATE) - 0.05);
  }
  expectIndependent(run.perAccount);
  console.log(`worker pacing at ${ACCOUNT_RATE}/s per account: ${describeLine(run.perAccount)}`);

  // (b) With a partner cap of 3/s: the two accounts together stay within it in every sliding second.
  const PARTNER_RATE = 3;
  const limits = { accountRateLimit: ACCOUNT_RATE, partnerRateLimit: PARTNER_RATE };
  const cappedPacer = new RecordingPacer(moovLimitsOf(limits));
  const cappedMoov = sandboxMoovClient(sandbox.url, {}, { pacer: cappedPacer });
  let capped: PacingRun;
  try {
    capped = await twoHeavyMerchants({ partnerRateLimit: PARTNER_RATE }, cappedMoov);
  } finally {
    await cappedMoov.close();
  }
  const left = cappedPacer.left.map((d) => d.at);
  for (const accountID of capped.accounts) expect(maxInSlidingWindow(cappedPacer.timesOf(accountID), 1000)).toBeLessThanOrEqual(ACCOUNT_RATE);
  expect(maxInSlidingWindow(left, 1000)).toBeLessThanOrEqual(PARTNER_RATE);
  expect(maxInSlidingWindow(left, 1000)).toBeGreaterThan(ACCOUNT_RATE); // both accounts did share the cap's room
  const arrived = capped.perAccount.flat().sort((x, y) => x - y);
  expect(maxInSlidingWindow(arrived, 1000)).toBeLessThanOrEqual(PARTNER_RATE + ARRIVAL_JITTER_ALLOWANCE);
  console.log(`worker pacing at ${ACCOUNT_RATE}/s per account, ${PARTNER_RATE}/s for the partner: ${describeLine(capped.perAccount)}; both: at most ${maxInSlidingWindow(left, 1000)} in any 1 s as they left, ${maxInSlidingWindow(arrived, 1000)} as they arrived`);
});

import { temporal } from '@temporalio/proto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActivityInterceptorsFactory, Worker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { markRemediationResolved, startRemediation } from '../../src/client';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import type { SweepSummary } from '../../src/domain/sweep-input';
import type { MoovClient } from '../../src/moov';
import { DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle } from '../../src/sandbox';
import { ensureServers } from '../../src/temporal-servers/install';
import { createRemediationWorker } from '../../src/worker';
import { statusQuery } from '../../src/workflows/definitions';
import { makeFilesRoot } from '../support/demo-files';
import { eventually } from '../support/eventually';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { createDevServerEnv } from '../support/temporal-env';

/**
 * Worker Deployment Versioning on the real dev server (docs/deploying.md, "Option 2"): build v1
 * is current, a remediation parks in follow-through and a sweep is mid-page; build v2 starts and
 * is made current with the CLI command the guide gives. New work runs on v2, the parked
 * AUTO_UPGRADE remediation moves to v2 and completes, and the PINNED sweep finishes on v1.
 */
jest.setTimeout(90_000);

const { VersioningBehavior, RoutingConfigUpdateState, EventType } = temporal.api.enums.v1;
const execFileAsync = promisify(execFile);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let moov: MoovClient;
let filesRoot: string;
let client: Client;
let cli: string;
/** A task queue and the Worker Deployment serving it: one per test, so the tests do not share routing. */
interface Fleet {
  taskQueue: string;
  deploymentName: string;
}
const newFleet = (): Fleet => ({ taskQueue: `versioning-test-${randomUUID()}`, deploymentName: `remediation-${randomUUID().slice(0, 8)}` });
const running: { worker: Worker; done: Promise<void> }[] = [];
// v1 holds the sweep's first page (an activity, so the sweep is open across the switch) until released.
let release!: () => void;
const released = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  const { 'dev-server': exe } = await ensureServers(['dev-server']);
  if (exe.source === 'sdk-download') throw new Error('this test runs the Temporal CLI: install it (npm run temporal:install) or set TEMPORAL_CLI_PATH');
  cli = exe.path;
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
  client = env.client;
}, 60_000);

afterAll(async () => {
  release(); // a held activity would keep v1 from shutting down
  for (const { worker } of running) worker.shutdown();
  await Promise.all(running.map(({ done }) => done));
  await moov?.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

/** The project's worker as build `buildId`, or unversioned without one (identity `worker-<build>`, so histories name it). */
async function startBuild(fleet: Fleet, buildId: string | undefined, activityInterceptor?: ActivityInterceptorsFactory): Promise<void> {
  const worker = await createRemediationWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: fleet.taskQueue,
    moov,
    filesRoot,
    partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID,
    identity: `worker-${buildId ?? 'unversioned'}`,
    deploymentName: fleet.deploymentName,
    ...(buildId && { buildId }),
    ...(activityInterceptor && { interceptors: { activity: [activityInterceptor] } }),
  });
  running.push({ worker, done: worker.run() });
}


/**
 * The guide's command. The server refuses it until the version's workers have polled, so it is
 * retried; then waits until the routing change has reached the task queue's partitions.
 */
async function setCurrentVersion({ deploymentName }: Fleet, buildId: string): Promise<void> {
  const args = ['worker', 'deployment', 'set-current-version', '--address', env.address, '--namespace', 'default'];
  await eventually(`set-current-version ${buildId}`, async () => {
    await execFileAsync(cli, [...args, '--deployment-name', deploymentName, '--build-id', buildId, '--yes']);
    return true;
  });
  await eventually(`${buildId} routed as current`, async () => {
    const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({ namespace: 'default', deploymentName });
    const current = info?.routingConfig?.currentDeploymentVersion?.buildId;
    return current === buildId && info?.routingConfigUpdateState === RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_COMPLETED ? true : undefined;
  });
}

async function versioningOf(handle: WorkflowHandle) {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId };
}

/** Per workflow task: the build and worker that completed it; per activity: the worker that ran it. */
async function whoRan(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events ?? [];
  const tasks = events.flatMap((e) => (e.workflowTaskCompletedEventAttributes ? [{ id: Number(e.eventId), buildId: e.workflowTaskCompletedEventAttributes.deploymentVersion?.buildId, identity: e.workflowTaskCompletedEventAttributes.identity }] : []));
  const activities = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.identity] : []));
  const listed = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && isListing(events, Number(e.activityTaskCompletedEventAttributes?.scheduledEventId)));
  return { tasks, activities, listedAt: listed ? Number(listed.eventId) : undefined };
}

function isListing(events: temporal.api.history.v1.IHistoryEvent[], scheduledId: number): boolean {
  return events.find((e) => Number(e.eventId) === scheduledId)?.activityTaskScheduledEventAttributes?.activityType?.name === 'listConnectedAccounts';
}

const merchant = (name: string) => ({
  displayName: name,
  accountType: 'business',
  email: `owner@${name.toLowerCase().replace(/\W+/g, '-')}.test`,
  capabilities: [
    {
      capability: 'collect-funds',
      status: 'pending',
      requirements: { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] },
    },
  ],
});

test('a new build takes new work; a running AUTO_UPGRADE remediation moves to it; a PINNED sweep stays on its build', async () => {
  const fleet = newFleet();
  const { taskQueue } = fleet;
  let reached!: () => void;
  const sweepHeld = new Promise<void>((resolve) => (reached = resolve));
  await startBuild(fleet, 'v1', (ctx) => ({
    inbound: {
      async execute(input, next) {
        if (ctx.info.activityType === 'listConnectedAccounts') {
          reached();
          await released;
        }
        return next(input);
      },
    },
  }));
  await setCurrentVersion(fleet, 'v1');

  // On v1: a remediation parked in follow-through (its next check is hours away) …
  const parkedSeed = merchant('Parked Yoga');
  const { accountID: parkedAccount } = await admin.seedAccount(parkedSeed);
  const parked = await startRemediation(
    client,
    { accountID: parkedAccount, resolutionLink: { recipient: { email: parkedSeed.email } }, options: { followThrough: true } },
    { taskQueue },
  );
  await eventually('the parked remediation to wait for the merchant', async () => {
    const status: RemediationStatus = await parked.handle.query(statusQuery);
    return status.phase === 'awaiting-merchant' && status.followThrough?.lastCheckedAt ? status : undefined;
  });
  expect(await versioningOf(parked.handle)).toEqual({ behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE, buildId: 'v1' });

  // … and a dry-run sweep, held inside its first page.
  const sweep = await client.workflow.start('remediationSweep', { taskQueue, workflowId: `sweep-${randomUUID()}`, args: [{ dryRun: true }] });
  await sweepHeld;
  expect(await versioningOf(sweep)).toEqual({ behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED, buildId: 'v1' });

  // Deploy: v2 starts beside v1 and becomes current.
  await startBuild(fleet, 'v2');
  await setCurrentVersion(fleet, 'v2');

  // (a) New work runs on v2 only.
  const freshSeed = merchant('Fresh Bakery');
  const { accountID: freshAccount } = await admin.seedAccount(freshSeed);
  const fresh = await startRemediation(client, { accountID: freshAccount, resolutionLink: { recipient: { email: freshSeed.email } }, options: { followThrough: false } }, { taskQueue });
  expect((await fresh.handle.result()).phase).toBe('completed');
  const freshRan = await whoRan(fresh.handle);
  expect(new Set(freshRan.tasks.map((t) => `${t.buildId} ${t.identity}`))).toEqual(new Set(['v2 worker-v2']));
  expect(new Set(freshRan.activities)).toEqual(new Set(['worker-v2']));
  expect(await versioningOf(fresh.handle)).toEqual({ behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE, buildId: 'v2' });

  // (b) The parked remediation's next task (the operator's markResolved) runs on v2, while v1 still polls.
  expect((await markRemediationResolved(client, parked.workflowId, 'handled by phone')).phase).toBe('resolved');
  expect((await parked.handle.result()).phase).toBe('resolved');
  const parkedBuilds = (await whoRan(parked.handle)).tasks.map((t) => t.buildId);
  const firstOnV2 = parkedBuilds.indexOf('v2');
  expect(parkedBuilds[0]).toBe('v1');
  expect(firstOnV2).toBeGreaterThan(0);
  expect(parkedBuilds.slice(firstOnV2)).toEqual(parkedBuilds.slice(firstOnV2).map(() => 'v2'));
  expect(await versioningOf(parked.handle)).toEqual({ behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE, buildId: 'v2' });

  // (c) The PINNED sweep, released after the switch, finishes on v1: every task and activity after the page too.
  release();
  const summary = (await sweep.result()) as SweepSummary;
  expect(summary).toMatchObject({ dryRun: true, scanned: 2 });
  const sweepRan = await whoRan(sweep);
  expect(sweepRan.listedAt).toBeDefined();
  expect(sweepRan.tasks.filter((t) => t.id > sweepRan.listedAt!).length).toBeGreaterThan(0);
  expect(new Set(sweepRan.tasks.map((t) => `${t.buildId} ${t.identity}`))).toEqual(new Set(['v1 worker-v1']));
  // The page, then a requirements read per account: all on v1.
  expect(sweepRan.activities.length).toBeGreaterThanOrEqual(3);
  expect(new Set(sweepRan.activities)).toEqual(new Set(['worker-v1']));
  expect(await versioningOf(sweep)).toEqual({ behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED, buildId: 'v1' });
});

test('without a build id the worker runs unversioned, as before; a versioned build made current takes over its runs', async () => {
  const fleet = newFleet();
  await startBuild(fleet, undefined);
  const seed = merchant('Unversioned Deli');
  const { accountID } = await admin.seedAccount(seed);
  const parked = await startRemediation(
    client,
    { accountID, resolutionLink: { recipient: { email: seed.email } }, options: { followThrough: true } },
    { taskQueue: fleet.taskQueue },
  );
  await eventually('the unversioned remediation to wait for the merchant', async () => {
    const status: RemediationStatus = await parked.handle.query(statusQuery);
    return status.phase === 'awaiting-merchant' && status.followThrough?.lastCheckedAt ? status : undefined;
  });
  // Unversioned: no versioning info at all; the behaviour annotation was not reported (that would fail every task).
  expect(await versioningOf(parked.handle)).toEqual({ behavior: undefined, buildId: undefined });

  await startBuild(fleet, 'v1');
  await setCurrentVersion(fleet, 'v1');
  expect((await markRemediationResolved(client, parked.workflowId, 'handled by phone')).phase).toBe('resolved');
  expect((await parked.handle.result()).phase).toBe('resolved');
  const tasks = (await whoRan(parked.handle)).tasks;
  expect(tasks[0]).toMatchObject({ buildId: undefined, identity: 'worker-unversioned' });
  expect(tasks.at(-1)).toMatchObject({ buildId: 'v1', identity: 'worker-v1' });
});

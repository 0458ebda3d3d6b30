import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connectClient, startRemediation, waitForRemediation } from '../../src/client';
import type { MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { makeFilesRoot, writeAccountFiles } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxWorker } from '../support/sandbox-worker';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { createDevServerEnv } from '../support/temporal-env';

/**
 * Interactive before bulk (src/domain/start-urgency.ts), on the dev server with npm start's dynamic
 * config (10 priority levels). Bulk remediations (`startRemediation(…, { urgency: 'bulk' })`, as a
 * backfill script would) are queued while no worker runs, then one the onboarding backend starts; the worker that then polls gets the backend's first workflow task
 * ahead of the backlog that was there before it. Nothing is timed: the order of
 * the histories' first WorkflowTaskStarted events is the measure.
 */
const BULK = 12;

jest.setTimeout(120_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;
let moov: MoovClient;
let client: Client;
const taskQueue = `urgency-test-${randomUUID()}`;

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
  client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
}, 60_000);

afterAll(async () => {
  await client?.connection.close();
  await moov?.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 30_000);

async function merchant(name: string) {
  const email = `${name}@merchant.test`;
  const { accountID } = await admin.seedAccount({ displayName: name, email });
  await writeAccountFiles(filesRoot, accountID);
  return { accountID, email };
}

const inputFor = (m: { accountID: string; email: string }) => ({
  accountID: m.accountID,
  files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' as const }],
  resolutionLink: { recipient: { email: m.email } },
  options: { followThrough: false },
});

async function firstTaskStartedAt(workflowId: string): Promise<number> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const started = events.find((e) => e.workflowTaskStartedEventAttributes);
  return Number(started!.eventTime!.seconds) * 1000 + Math.floor((started!.eventTime!.nanos ?? 0) / 1e6);
}

test("the onboarding backend's remediation runs ahead of a bulk backlog queued before it, at every step's band", async () => {
  const bulkMerchants = await Promise.all(Array.from({ length: BULK }, (_, i) => merchant(`bulk-${i}`)));
  // Update-with-start waits for a worker to take the update: the starts are sent, and each
  // workflow is waited for until it exists (its first workflow task queued), before the next.
  const started: Promise<unknown>[] = [];
  const queue = async (m: { accountID: string; email: string }, urgency: 'bulk' | 'interactive') => {
    started.push(startRemediation(client, inputFor(m), { taskQueue, urgency }));
    const workflowId = `remediation-${m.accountID}`;
    for (;;) {
      const exists = await client.workflow.getHandle(workflowId).describe().then(() => true, () => false);
      if (exists) return { workflowId };
    }
  };
  const bulk: { workflowId: string }[] = [];
  for (const m of bulkMerchants) bulk.push(await queue(m, 'bulk'));
  const backend = await queue(await merchant('new-merchant'), 'interactive');

  const worker = await sandboxWorker(env, { taskQueue, moov, filesRoot });
  await worker.runUntil(async () => {
    await Promise.all(started);
    const results = await Promise.all([...bulk, backend].map((s) => waitForRemediation(client, s.workflowId)));
    expect(results.every((r) => r.phase === 'completed')).toBe(true);
  });

  const backendAt = await firstTaskStartedAt(backend.workflowId);
  const bulkAt = await Promise.all(bulk.map((s) => firstTaskStartedAt(s.workflowId)));
  const bulkBefore = bulkAt.filter((t) => t < backendAt).length;
  // Without bands it would go last (arrival order); a poll already waiting may take one bulk task first.
  expect(bulkBefore).toBeLessThanOrEqual(2);

  // The priorities as recorded: the workflow in the middle of its band, each step at its level.
  const priorityOf = async (workflowId: string) => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    return {
      workflow: events[0]!.workflowExecutionStartedEventAttributes?.priority?.priorityKey,
      steps: events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [[e.activityTaskScheduledEventAttributes.activityType?.name, e.activityTaskScheduledEventAttributes.priority?.priorityKey]] : [])),
    };
  };
  expect(await priorityOf(backend.workflowId)).toEqual({ workflow: 3, steps: [['planFileUploads', 5], ['uploadFile', 4], ['createResolutionLink', 1]] });
  expect(await priorityOf(bulk[0]!.workflowId)).toEqual({ workflow: 8, steps: [['planFileUploads', 10], ['uploadFile', 9], ['createResolutionLink', 6]] });
});

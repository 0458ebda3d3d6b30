import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { rm } from 'node:fs/promises';
import { createFileActivities, PLAN_FRESH_MS } from '../../src/activities/file-activities';
import type { UploadedFile } from '../../src/domain/activity-contracts';
import { MoovClient } from '../../src/moov';
import { DEFAULT_CREDENTIALS, startSandbox, type SandboxHandle } from '../../src/sandbox';
import { makeFilesRoot, writeAccountFiles } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';

/**
 * The upload activity lists the account's files before uploading (dedupe after a lost answer)
 * unless this is its first attempt and the plan's list is fresh: then the plan already showed the
 * file absent, and one request does instead of two. Retries and stale plans always list.
 */
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let moov: MoovClient;
let filesRoot: string;

beforeAll(async () => {
  [sandbox, filesRoot] = await Promise.all([startSandbox({ rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = new MoovClient({
    baseUrl: sandbox.url,
    auth: { kind: 'basic', ...DEFAULT_CREDENTIALS },
    moovVersion: 'v2026.04.00',
    connectTimeoutMs: 5000,
    headersTimeoutMs: 5000,
    bodyTimeoutMs: 5000,
    maxConnections: 4,
  });
});

afterAll(async () => {
  await moov.close();
  await sandbox.close();
  await rm(filesRoot, { recursive: true, force: true });
});

const file = { path: 'passport.pdf', filePurpose: 'identity_verification' as const };

async function upload(attempt: number, plannedAbsentAt: string | undefined) {
  const { accountID } = await admin.seedAccount({ displayName: 'Freshness' });
  await writeAccountFiles(filesRoot, accountID);
  const activities = createFileActivities({ moov, filesRoot });
  // A retry after an attempt Moov answered (a 429, say): nothing of that attempt is on the wire.
  const settled = attempt > 1 ? { heartbeatDetails: { phase: 'answered' } } : {};
  const info = { attempt, currentAttemptScheduledTimestampMs: Date.now(), ...settled };
  const result: UploadedFile = await new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') }).run(activities.uploadFile, {
    accountID,
    file,
    ...(plannedAbsentAt !== undefined && { plannedAbsentAt }),
  });
  const lists = await admin.requests({ accountID, route: 'GET /accounts/:accountID/files' });
  return { result, lists: lists.length };
}

test.each([
  ['first attempt, fresh plan', 0, 1, () => new Date().toISOString()],
  ['first attempt, no plan time (older histories)', 1, 1, () => undefined],
  ['first attempt, stale plan', 1, 1, () => new Date(Date.now() - PLAN_FRESH_MS - 1000).toISOString()],
  ['retry, fresh plan', 1, 2, () => new Date().toISOString()],
])('%s: lists the account files %i time(s) before uploading', async (_name, expectedLists, attempt, plannedAbsentAt) => {
  const { result, lists } = await upload(attempt, plannedAbsentAt());
  expect(result.outcome).toBe('uploaded');
  expect(lists).toBe(expectedLists);
});

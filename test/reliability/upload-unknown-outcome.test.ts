import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { createFileActivities } from '../../src/activities/file-activities';
import { FailureType } from '../../src/domain/failure-types';
import type { UploadFileInput, UploadedFile } from '../../src/domain/activity-contracts';
import { SAMPLE_FILES, writeAccountFiles } from '../support/demo-files';
import { useActivitySandbox } from '../support/activity-sandbox';

/**
 * An upload attempt that never heard Moov's answer (its worker died, the heartbeat timed out, the
 * client gave up waiting) may still land at Moov. Moov has no idempotency key for files, so the
 * retry must not upload again until that attempt's request can no longer land.
 */
const ctx = useActivitySandbox();

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';
const file = { path: 'passport.pdf', filePurpose: 'identity_verification' as const };
const PASSPORT_SHA256 = createHash('sha256').update(SAMPLE_FILES['passport.pdf']!).digest('hex');

async function seed(): Promise<string> {
  const { accountID } = await ctx().admin.seedAccount({ displayName: 'Unknown Outcome Yoga' });
  await writeAccountFiles(ctx().filesRoot, accountID);
  return accountID;
}

/** The attempt is scheduled now, as the server would say: its landing checks run on that clock. */
function activityEnv(info: ConstructorParameters<typeof MockActivityEnvironment>[0]) {
  return new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: Date.now(), ...info }, { logger: new DefaultLogger('ERROR') });
}

function run(env: MockActivityEnvironment, input: UploadFileInput): Promise<UploadedFile> {
  return env.run(createFileActivities({ moov: ctx().moov, filesRoot: ctx().filesRoot }).uploadFile, input);
}

/** What an attempt records just before it sends the upload. */
function inFlightSince(startedAgoMs: number, landsInMs: number) {
  const now = Date.now();
  return { phase: 'uploading', sha256: PASSPORT_SHA256, startedAt: new Date(now - startedAgoMs).toISOString(), landsBy: new Date(now + landsInMs).toISOString() };
}

test('a retry after an upload with no answer does not upload while that upload may still land: it retries after the landing time', async () => {
  const accountID = await seed();

  const failure = await run(activityEnv({ attempt: 2, heartbeatDetails: inFlightSince(1_000, 20_000) }), { accountID, file }).then(
    () => undefined,
    (err: unknown) => err,
  );

  expect(failure).toBeInstanceOf(ApplicationFailure);
  const appFailure = failure as ApplicationFailure;
  expect(appFailure.nonRetryable).toBe(false);
  expect(appFailure.nextRetryDelay).toBeDefined();
  const delayMs = Number(appFailure.nextRetryDelay);
  expect(delayMs).toBeGreaterThan(15_000);
  expect(delayMs).toBeLessThanOrEqual(20_000);
  expect(appFailure.message).toMatch(/may still land/);
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
  expect(await ctx().admin.requests({ accountID, route: 'GET /accounts/:accountID/files' })).toHaveLength(1);
  expect((await ctx().admin.state(accountID)).files).toEqual([]);
});

test('a retry after an upload with no answer finds the file once it has landed, and does not upload it again', async () => {
  const accountID = await seed();
  const first = await run(activityEnv({ attempt: 1 }), { accountID, file });

  const retry = await run(activityEnv({ attempt: 2, heartbeatDetails: inFlightSince(1_000, 20_000) }), { accountID, file });

  expect(retry).toMatchObject({ outcome: 'already-present', fileID: first.fileID });
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
});

test('once the earlier upload can no longer land, the retry uploads', async () => {
  const accountID = await seed();

  const retry = await run(activityEnv({ attempt: 2, heartbeatDetails: inFlightSince(60_000, -1_000) }), { accountID, file });

  expect(retry.outcome).toBe('uploaded');
  expect((await ctx().admin.state(accountID)).files).toHaveLength(1);
});

test('the upload heartbeats the whole time its request is in flight, not once before it', async () => {
  const accountID = await seed();
  await ctx().admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ latencyMs: 1_500 }] });
  const env = activityEnv({ attempt: 1, heartbeatTimeoutMs: 400 });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  const uploaded = await run(env, { accountID, file });

  expect(uploaded.outcome).toBe('uploaded');
  const whileUploading = heartbeats.filter((d) => (d as { phase?: string } | undefined)?.phase === 'uploading');
  // 1.5 s in flight with a heartbeat every 100 ms (a quarter of the heartbeat timeout).
  expect(whileUploading.length).toBeGreaterThanOrEqual(8);
  expect(whileUploading[0]).toMatchObject({ sha256: PASSPORT_SHA256 });
});

test('a cancelled (or timed-out) attempt abandons its request at once: the activity\'s cancellation signal reaches undici', async () => {
  const accountID = await seed();
  await ctx().admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ latencyMs: 5_000 }] });
  const env = activityEnv({ attempt: 1, heartbeatTimeoutMs: 400 });
  // Cancelled as soon as the upload is on the wire (its first in-flight heartbeat).
  env.on('heartbeat', (details: unknown) => {
    if ((details as { phase?: string } | undefined)?.phase === 'uploading') env.cancel('TIMED_OUT');
  });

  const outcome = await run(env, { accountID, file }).then(
    () => 'completed',
    (err: unknown) => err,
  );

  expect(outcome).toBeInstanceOf(Error);
  // Rejected while Moov is still holding the request: the sandbox logs a request when it answers.
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
});

/**
 * Heartbeats are throttled (docs.temporal.io/encyclopedia/detecting-activity-failures#throttling):
 * an attempt that lists and then uploads within the throttle interval may have only its `listing`
 * record at the server when its worker is SIGKILLed, and the upload may land after the next attempt
 * lists. A retry that finds no settled record must assume an upload was sent just before it.
 */
describe.each([
  ['an earlier attempt whose last record is "listing"', { phase: 'listing' }],
  ['an earlier attempt that recorded nothing', undefined],
])('a retry after %s (its in-flight record lost with its worker)', (_name, heartbeatDetails) => {
  test('does not upload while an upload sent just before it was scheduled could still land', async () => {
    const accountID = await seed();
    const scheduledAt = Date.now();
    const env = activityEnv({ attempt: 2, heartbeatDetails, currentAttemptScheduledTimestampMs: scheduledAt });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));

    const failure = await run(env, { accountID, file }).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(failure).toBeInstanceOf(ApplicationFailure);
    const appFailure = failure as ApplicationFailure;
    expect(appFailure.type).toBe(FailureType.UploadMayStillLand);
    expect(appFailure.nonRetryable).toBe(false);
    // Until the longest request the HTTP timeouts allow, counted from this attempt's scheduled time.
    const delayMs = Number(appFailure.nextRetryDelay);
    expect(delayMs).toBeGreaterThan(ctx().moov.longestRequestMs - 5_000);
    expect(delayMs).toBeLessThanOrEqual(ctx().moov.longestRequestMs);
    expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
    // The assumed in-flight upload is recorded, so the attempt after this one waits for the same time.
    expect(heartbeats).toContainEqual(
      expect.objectContaining({ phase: 'uploading', sha256: PASSPORT_SHA256, landsBy: new Date(scheduledAt + ctx().moov.longestRequestMs).toISOString() }),
    );
  });

  test('finds the file if that upload landed, and does not upload it again', async () => {
    const accountID = await seed();
    const first = await run(activityEnv({ attempt: 1 }), { accountID, file });

    const retry = await run(activityEnv({ attempt: 2, heartbeatDetails }), { accountID, file });

    expect(retry).toMatchObject({ outcome: 'already-present', fileID: first.fileID });
    expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
  });
});

test('a retry after an attempt that settled its outcome (Moov answered the upload) uploads without waiting', async () => {
  const accountID = await seed();

  const retry = await run(activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } }), { accountID, file });

  expect(retry.outcome).toBe('uploaded');
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
});

test('an attempt whose list of the account files fails records that it sent nothing, so its retry need not wait', async () => {
  const accountID = await seed();
  await ctx().admin.addFault({ route: 'GET /accounts/:accountID/files', accountID, sequence: [{ status: 503 }] });
  const env = activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  await expect(run(env, { accountID, file })).rejects.toThrow();

  expect(heartbeats.at(-1)).toEqual({ phase: 'nothing-sent' });
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
  const retry = await run(activityEnv({ attempt: 3, heartbeatDetails: heartbeats.at(-1) }), { accountID, file });
  expect(retry.outcome).toBe('uploaded');
});

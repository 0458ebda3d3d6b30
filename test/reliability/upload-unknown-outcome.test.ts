import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { createFileActivities } from '../../src/activities/file-activities';
import type { UploadFileInput, UploadedFile } from '../../src/domain/activity-contracts';
import type { MoovClient } from '../../src/moov';
import { SAMPLE_FILES, writeAccountFiles } from '../support/demo-files';
import { useActivitySandbox } from '../support/activity-sandbox';
import { sandboxMoovClient } from '../support/sandbox-moov-client';

/**
 * An upload attempt that never heard Moov's answer (its worker died, the heartbeat timed out, the
 * client gave up waiting) may still land at Moov. Moov has no idempotency key for files, so the
 * retry must not upload again until that attempt's request can no longer land: it waits for that,
 * in real time, inside the attempt, then looks at the account's files again.
 */
const ctx = useActivitySandbox();

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';
const LIST_ROUTE = 'GET /accounts/:accountID/files';
const file = { path: 'passport.pdf', filePurpose: 'identity_verification' as const };
const PASSPORT_SHA256 = createHash('sha256').update(SAMPLE_FILES['passport.pdf']!).digest('hex');
/** Timeouts whose longest request is 1.6 s, so an assumed in-flight upload is waited out in seconds. */
const SHORT_TIMEOUTS = { connectTimeoutMs: 300, headersTimeoutMs: 1_000, bodyTimeoutMs: 300 };

let shortMoov: MoovClient;
beforeAll(() => {
  shortMoov = sandboxMoovClient(ctx().sandbox.url, SHORT_TIMEOUTS);
});
afterAll(async () => {
  await shortMoov.close();
});

async function seed(): Promise<string> {
  const { accountID } = await ctx().admin.seedAccount({ displayName: 'Unknown Outcome Yoga' });
  await writeAccountFiles(ctx().filesRoot, accountID);
  return accountID;
}

function activityEnv(info: ConstructorParameters<typeof MockActivityEnvironment>[0]) {
  return new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: Date.now(), ...info }, { logger: new DefaultLogger('ERROR') });
}

function run(env: MockActivityEnvironment, input: UploadFileInput, moov: MoovClient = ctx().moov): Promise<UploadedFile> {
  return env.run(createFileActivities({ moov, filesRoot: ctx().filesRoot }).uploadFile, input);
}

/** What an attempt records just before it sends the upload. */
function inFlightSince(startedAgoMs: number, landsInMs: number) {
  const now = Date.now();
  return { phase: 'uploading', sha256: PASSPORT_SHA256, startedAt: new Date(now - startedAgoMs).toISOString(), landsBy: new Date(now + landsInMs).toISOString() };
}

/** When the sandbox answered each request on a route (its log's time, the real clock here). */
async function answeredAt(accountID: string, route: string): Promise<number[]> {
  return (await ctx().admin.requests({ accountID, route })).map((request) => Date.parse(request.at));
}

test('a retry after an upload with no answer that finds nothing waits until that upload can no longer land, then looks again and uploads what is missing', async () => {
  const accountID = await seed();
  const earlier = inFlightSince(1_000, 1_500);
  const env = activityEnv({ attempt: 2, heartbeatDetails: earlier });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  const retry = await run(env, { accountID, file });

  expect(retry.outcome).toBe('uploaded');
  // It kept the earlier attempt's record while it waited, as its own: a crash then leaves it for the next attempt.
  expect(heartbeats[0]).toEqual({ ...earlier, attempt: 2 });
  // A first look at once (the file may have landed already), the second after the landing time.
  const lists = await answeredAt(accountID, LIST_ROUTE);
  expect(lists).toHaveLength(2);
  expect(lists[0]).toBeLessThan(Date.parse(earlier.landsBy));
  expect(lists[1]).toBeGreaterThanOrEqual(Date.parse(earlier.landsBy));
  expect(await answeredAt(accountID, UPLOAD_ROUTE)).toHaveLength(1);
});

test('a retry after an upload with no answer finds the file once it has landed, and does not upload it again', async () => {
  const accountID = await seed();
  const first = await run(activityEnv({ attempt: 1 }), { accountID, file });

  const retry = await run(activityEnv({ attempt: 2, heartbeatDetails: inFlightSince(1_000, 1_000) }), { accountID, file });

  expect(retry).toMatchObject({ outcome: 'already-present', fileID: first.fileID });
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
  // The first attempt's list, then the retry's first look finds it: no wait, no second look.
  expect(await answeredAt(accountID, LIST_ROUTE)).toHaveLength(2);
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
  test('waits as if an upload had been sent just before it started, before it looks and uploads', async () => {
    const accountID = await seed();
    const env = activityEnv({ attempt: 2, heartbeatDetails });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const startedAt = Date.now();

    const retry = await run(env, { accountID, file }, shortMoov);

    expect(retry.outcome).toBe('uploaded');
    // The assumed upload is recorded, so the attempt after this one would wait for the same time.
    const assumed = heartbeats[0] as { phase: string; sha256: string; landsBy: string };
    expect(assumed).toMatchObject({ phase: 'uploading', sha256: PASSPORT_SHA256 });
    expect(Date.parse(assumed.landsBy)).toBeGreaterThanOrEqual(startedAt + shortMoov.longestRequestMs);
    const lists = await answeredAt(accountID, LIST_ROUTE);
    expect(lists).toHaveLength(2);
    expect(lists[1]).toBeGreaterThanOrEqual(Date.parse(assumed.landsBy));
    expect(await answeredAt(accountID, UPLOAD_ROUTE)).toHaveLength(1);
  });

  test('finds the file if that upload landed, and does not upload it again', async () => {
    const accountID = await seed();
    const first = await run(activityEnv({ attempt: 1 }), { accountID, file });

    const retry = await run(activityEnv({ attempt: 2, heartbeatDetails }), { accountID, file }, shortMoov);

    expect(retry).toMatchObject({ outcome: 'already-present', fileID: first.fileID });
    expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
  });
});

/**
 * Chaos run of 2026-12-02 (01d0a66d…): attempt 2 listed and uploaded within milliseconds and its
 * worker was killed before any of its heartbeats reached the server, so attempt 3 was handed
 * attempt 1's record, an in-flight upload whose landing time had passed, and uploaded a second
 * copy while attempt 2's upload was still on its way. A record tells about the attempt that wrote it.
 */
describe.each([
  ["attempt 1's in-flight upload, long landed", () => ({ ...inFlightSince(60_000, -5_000), attempt: 1 })],
  ["attempt 1's settled answer", () => ({ phase: 'answered', attempt: 1 })],
])('a retry handed a record older than the attempt before it (%s)', (_name, details) => {
  test('assumes the attempt before it sent an upload just before this one started, and waits for it', async () => {
    const accountID = await seed();
    const env = activityEnv({ attempt: 3, heartbeatDetails: details() });
    const startedAt = Date.now();

    const retry = await run(env, { accountID, file }, shortMoov);

    expect(retry.outcome).toBe('uploaded');
    const lists = await answeredAt(accountID, LIST_ROUTE);
    expect(lists).toHaveLength(2);
    expect(lists[1]).toBeGreaterThanOrEqual(startedAt + shortMoov.longestRequestMs);
  });
});

test('a retry after an attempt that settled its outcome (Moov answered the upload) uploads without waiting', async () => {
  const accountID = await seed();

  const env = activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  const retry = await run(env, { accountID, file });

  expect(retry.outcome).toBe('uploaded');
  expect(heartbeats[0]).toEqual({ phase: 'listing', attempt: 2 });
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
});

test('an attempt whose list of the account files fails records that it sent nothing, so its retry need not wait', async () => {
  const accountID = await seed();
  await ctx().admin.addFault({ route: 'GET /accounts/:accountID/files', accountID, sequence: [{ status: 503 }] });
  const env = activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));

  await expect(run(env, { accountID, file })).rejects.toThrow();

  expect(heartbeats.at(-1)).toEqual({ phase: 'nothing-sent', attempt: 2 });
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
  const retry = await run(activityEnv({ attempt: 3, heartbeatDetails: heartbeats.at(-1) }), { accountID, file });
  expect(retry.outcome).toBe('uploaded');
});

/**
 * The chaos run's `c6bd892b…`: a retry the Temporal server started ~50 s before the time it was
 * scheduled for (after a server restart). A clock taken from the attempt's scheduled time ran that
 * far ahead, called the earlier upload's landing time past, and uploaded again while Moov was
 * still storing the first one. Moov stores a file in real time, so the wait is in real time.
 */
test('a retry the server starts before its scheduled time still waits, in real time, for the earlier upload to land', async () => {
  const accountID = await seed();
  // The longest request these timeouts allow is 3 s, so the earlier upload may land for 3 s.
  const moov = sandboxMoovClient(ctx().sandbox.url, { connectTimeoutMs: 500, headersTimeoutMs: 2_000, bodyTimeoutMs: 500 });
  const activities = createFileActivities({ moov, filesRoot: ctx().filesRoot });
  await ctx().admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ applyLate: { afterMs: 1_500, answer: 'reset' } }] });
  const first = activityEnv({ attempt: 1 });
  const heartbeats: unknown[] = [];
  first.on('heartbeat', (details: unknown) => heartbeats.push(details));
  await expect(first.run(activities.uploadFile, { accountID, file })).rejects.toThrow(/network error/);
  const inFlight = heartbeats.filter((d) => (d as { phase?: string }).phase === 'uploading').at(-1);

  const retry = await activityEnv({ attempt: 2, heartbeatDetails: inFlight, currentAttemptScheduledTimestampMs: Date.now() + 60_000 }).run(activities.uploadFile, { accountID, file });

  expect((retry as UploadedFile).outcome).toBe('already-present');
  expect((await ctx().admin.state(accountID)).files).toHaveLength(1);
  expect(await ctx().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
  await moov.close();
});

/**
 * Which answers settle an upload's outcome. Moov answered 500, 502 or 503: the origin (or, for a
 * 502, the upstream the gateway heard from) has finished with the request, so whatever it stored is
 * in the file list now, and the retry looks and uploads at once (the benchmark's faults: each such
 * retry used to wait out the longest request, 65 s by default). A 504 is a gateway that stopped
 * waiting while the upstream may still be storing the file (RFC 9110 §15.6.5): that retry waits.
 */
describe.each([
  [500, 'answered'],
  [502, 'answered'],
  [503, 'answered'],
])('an upload answered %d', (status, settled) => {
  test(`records "${settled}", so its retry looks once and uploads without waiting`, async () => {
    const accountID = await seed();
    await ctx().admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ status }] });
    const first = activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } });
    const heartbeats: unknown[] = [];
    first.on('heartbeat', (details: unknown) => heartbeats.push(details));
    await expect(run(first, { accountID, file }, shortMoov)).rejects.toThrow(String(status));
    expect(heartbeats.at(-1)).toEqual({ phase: settled, attempt: 2 });

    const retry = await run(activityEnv({ attempt: 3, heartbeatDetails: heartbeats.at(-1) }), { accountID, file }, shortMoov);
    expect(retry.outcome).toBe('uploaded');
    // One list per attempt: no second look after a wait.
    expect(await ctx().admin.requests({ accountID, route: LIST_ROUTE })).toHaveLength(2);
  });
});

test('an upload answered 504 keeps its in-flight record: the retry waits until it can no longer land', async () => {
  const accountID = await seed();
  await ctx().admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ status: 504 }] });
  const first = activityEnv({ attempt: 2, heartbeatDetails: { phase: 'answered' } });
  const heartbeats: unknown[] = [];
  first.on('heartbeat', (details: unknown) => heartbeats.push(details));
  await expect(run(first, { accountID, file }, shortMoov)).rejects.toThrow('504');
  expect(heartbeats.at(-1)).toMatchObject({ phase: 'uploading', sha256: PASSPORT_SHA256, attempt: 2 });
});

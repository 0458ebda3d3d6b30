import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RequestPacer, type Departure } from '../../src/moov';
import { Transport } from '../../src/moov/transport';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient, sandboxMoovConfig } from '../support/sandbox-moov-client';
import { maxInSlidingWindow } from '../support/rate-peaks';

/**
 * The pacer counts a request from when undici writes it to the socket, which is when Moov starts
 * counting it (docs.moov.io/api/rate-limits), not from when it handed the request to undici. A
 * request can wait inside undici after that: here every connection of a two-connection pool is
 * held by a slow answer, the pacer goes on letting requests go, and undici queues them until a
 * connection frees, then writes them one after another within milliseconds. Counted from the
 * hand-over, the second after the slow answers held the queued requests and a second's worth
 * more. Nothing is timed: the sandbox's request log (arrival times) is the measure.
 */
const PARTNER_RATE = 10;
/** The sandbox's arrivals can be bunched by its own pauses (it shares the test's process). */
const ARRIVAL_JITTER_ALLOWANCE = 1;
const SLOW_ANSWER_MS = 1_500;
const QUICK_REQUESTS = 30;

let sandbox: SandboxHandle;
let admin: SandboxAdmin;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, rateLimitRps: 0 });
  admin = new SandboxAdmin(sandbox.url);
});

afterAll(async () => {
  await sandbox?.close();
});

test('requests undici holds back while every connection is busy count against the second they are written in', async () => {
  const accounts: string[] = [];
  for (let i = 0; i < 6; i++) accounts.push((await admin.seedAccount({ displayName: `Wire Pacing ${i}`, accountType: 'business' })).accountID);
  // The first two reads hold both connections for 1.5 s.
  await admin.addFault({ route: 'GET /accounts/:accountID', fault: { latencyMs: SLOW_ANSWER_MS }, times: 2 });
  await admin.call('DELETE', '/_sandbox/requests');

  const moov = sandboxMoovClient(sandbox.url, { maxConnections: 2 }, { pacer: new RequestPacer({ accountPerSecond: PARTNER_RATE, partnerPerSecond: PARTNER_RATE }) });
  try {
    const calls = Array.from({ length: 2 + QUICK_REQUESTS }, (_, i) => moov.getAccount(accounts[i % accounts.length]!));
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: calls.length }, () => 200));
  } finally {
    await moov.close();
  }

  const arrivals = (await admin.requests({ route: 'GET /accounts/:accountID' })).map((r) => Date.parse(r.at));
  expect(arrivals).toHaveLength(2 + QUICK_REQUESTS);
  const peak = maxInSlidingWindow(arrivals, 1000);
  console.log(`${arrivals.length} requests through 2 connections, 2 of them held ${SLOW_ANSWER_MS} ms: at most ${peak} in any 1 s at the sandbox (limit ${PARTNER_RATE})`);
  expect(peak).toBeLessThanOrEqual(PARTNER_RATE + ARRIVAL_JITTER_ALLOWANCE);
});

test('the transport tells when undici starts a request on a connection, also one that waited in the pool\'s queue', async () => {
  const { accountID } = await admin.seedAccount({ displayName: 'Wire Pacing Queue', accountType: 'business' });
  // One connection: the second request waits in undici's queue until the first is answered (0.8 s), and is itself answered 0.3 s after it arrives.
  await admin.addFault({ route: 'GET /accounts/:accountID', accountID, sequence: [{ latencyMs: 800 }, { latencyMs: 300 }] });
  const transport = new Transport(sandboxMoovConfig(sandbox.url, { maxConnections: 1 }));
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  try {
    await Promise.all(
      [0, 1].map(async (i) => {
        const answer = await transport.send({ operation: 'getAccount', method: 'GET', path: `/accounts/${accountID}`, onSent: () => (sentAt[i] = Date.now()) });
        answeredAt[i] = Date.now();
        expect(answer.status).toBe(200);
      }),
    );
  } finally {
    await transport.close();
  }
  const arrivedAt = (await admin.requests({ accountID, route: 'GET /accounts/:accountID' })).map((r) => Date.parse(r.at)).sort((a, b) => a - b);
  expect(arrivedAt).toHaveLength(2);
  // Told as it went out (by the time the sandbox saw it: the same clock, ms apart), not when its answer came.
  const CLOCK_SLACK_MS = 50;
  for (const i of [0, 1]) {
    expect(sentAt[i]).toBeLessThanOrEqual(arrivedAt[i]! + CLOCK_SLACK_MS);
    expect(answeredAt[i]! - sentAt[i]!).toBeGreaterThanOrEqual(250);
  }
  // The second did wait in the queue: it went out only after the first was answered.
  expect(sentAt[1]).toBeGreaterThanOrEqual(answeredAt[0]! - CLOCK_SLACK_MS);
});

/** The worker's pacer, recording when each request it let go was reported gone. */
class LeavingPacer extends RequestPacer {
  readonly leftAt: (number | undefined)[] = [];
  override async acquire(accountID: string | undefined, signal?: AbortSignal): Promise<Departure> {
    const departure = await super.acquire(accountID, signal);
    const index = this.leftAt.push(undefined) - 1;
    return {
      sent: () => {
        this.leftAt[index] ??= Date.now();
        departure.sent();
      },
    };
  }
}

test('a request aborted while undici holds it in the pool\'s queue stops counting at the abort, not when a connection frees', async () => {
  const { accountID } = await admin.seedAccount({ displayName: 'Wire Pacing Abort', accountType: 'business' });
  await admin.addFault({ route: 'GET /accounts/:accountID', accountID, sequence: [{ latencyMs: 1_500 }] });
  const dir = await mkdtemp(path.join(tmpdir(), 'wire-pacing-'));
  const filePath = path.join(dir, 'ledger.csv');
  await writeFile(filePath, 'account,row\n1,1\n');
  const pacer = new LeavingPacer({ accountPerSecond: PARTNER_RATE });
  const moov = sandboxMoovClient(sandbox.url, { maxConnections: 1 }, { pacer });
  try {
    // The read holds the only connection for 1.5 s; the upload waits in undici's queue behind it.
    const read = moov.getAccount(accountID);
    const controller = new AbortController();
    const upload = moov.uploadFile(accountID, { filePath, filePurpose: 'business_verification' }, { signal: controller.signal });
    const uploadRejected = expect(upload).rejects.toMatchObject({ kind: 'network' });
    while (pacer.leftAt.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const abortedAt = Date.now();
    controller.abort();
    await uploadRejected;
    await read;
    const readAnsweredAt = Date.now();
    expect(pacer.leftAt[1]).toBeDefined();
    expect(pacer.leftAt[1]! - abortedAt).toBeLessThan(500);
    expect(readAnsweredAt - pacer.leftAt[1]!).toBeGreaterThan(500);
  } finally {
    await moov.close();
    await rm(dir, { recursive: true, force: true });
  }
  // Never sent: the sandbox saw the read only.
  expect((await admin.requests({ accountID })).map((r) => r.route)).toEqual(['GET /accounts/:accountID']);
});

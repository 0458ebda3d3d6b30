import { RequestPacer } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
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

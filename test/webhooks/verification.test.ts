import { Client, Connection } from '@temporalio/client';
import type { Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { freePort } from '../../src/net/ports';
import { createLogger, installRuntime, METRICS } from '../../src/observability';
import { WEBHOOK_PATH } from '../../src/webhooks';
import { parsePrometheus, sampleSum } from '../support/observed-worker';
import { PREVIOUS_SECRET, SECRET, WEBHOOK_ID, moovEvent, post, signedDelivery, startTestReceiver, type Delivery, type TestReceiver } from './support/deliveries';

/**
 * Moov's signature scheme over real HTTP to the receiver on loopback. Every delivery here is
 * refused, or is an event that asks nothing of Temporal (event.test, an unknown type), so the
 * receiver's Temporal client points at a port where nothing listens: a call to it would be a 503.
 * The receiver's counters go to the process's Temporal Runtime and are read from its /metrics.
 */
let h: TestReceiver;
let metricsUrl: string;
let connection: Connection;
let runtime: Runtime;

beforeAll(async () => {
  const metricsBindAddress = `127.0.0.1:${await freePort('127.0.0.1')}`;
  runtime = installRuntime({ logger: createLogger({ level: 'silent' }), metricsBindAddress });
  metricsUrl = `http://${metricsBindAddress}/metrics`;
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort('127.0.0.1')}` });
  h = await startTestReceiver({ client: new Client({ connection }), taskQueue: 'unused', meter: runtime.metricMeter });
});

afterAll(async () => {
  await h?.close();
  await connection?.close();
  // The Runtime's metrics exporter would keep the process alive.
  await runtime?.shutdown();
});

const without = (delivery: Delivery, header: string): Delivery => ({ ...delivery, headers: Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name !== header)) });
const seconds = (ms: number) => String(Math.floor(ms / 1000));

test('a delivery signed with the current secret is acknowledged', async () => {
  expect(await post(h.receiver, signedDelivery())).toEqual({ status: 200, body: { outcome: 'test-event' } });
});

test('a delivery signed with the previous secret is acknowledged too (rotation)', async () => {
  expect(await post(h.receiver, signedDelivery({ secret: PREVIOUS_SECRET }))).toEqual({ status: 200, body: { outcome: 'test-event' } });
});

test('a delivery signed with another secret is refused 401', async () => {
  expect(await post(h.receiver, signedDelivery({ secret: 'whsec_someone_else_0000000000000000' }))).toEqual({ status: 401, body: { error: 'bad-signature' } });
});

test('a signature of other headers (the nonce changed after signing) is refused 401', async () => {
  const delivery = signedDelivery();
  const tampered = { ...delivery, headers: { ...delivery.headers, 'x-nonce': randomUUID() } };
  expect(await post(h.receiver, tampered)).toEqual({ status: 401, body: { error: 'bad-signature' } });
});

test.each([
  ['truncated', (s: string) => s.slice(0, 64)],
  ['not hex', (s: string) => `${s.slice(0, 126)}zz`],
  ['base64 of the same digest', (s: string) => Buffer.from(s, 'hex').toString('base64')],
])('a signature %s is refused 401 (no length or format slips through timingSafeEqual)', async (_name, mangle) => {
  const delivery = signedDelivery();
  const mangled = { ...delivery, headers: { ...delivery.headers, 'x-signature': mangle(delivery.headers['x-signature']!) } };
  expect(await post(h.receiver, mangled)).toEqual({ status: 401, body: { error: 'bad-signature' } });
});

test.each(['x-signature', 'x-timestamp', 'x-nonce', 'x-webhook-id'])('a delivery without %s is refused 401', async (header) => {
  expect(await post(h.receiver, without(signedDelivery(), header))).toEqual({ status: 401, body: { error: 'missing-header' } });
});

test.each([
  ['6 minutes old', -6 * 60_000],
  ['6 minutes ahead', 6 * 60_000],
])('a correctly signed delivery whose timestamp is %s is refused 401', async (_name, offsetMs) => {
  expect(await post(h.receiver, signedDelivery({ timestamp: seconds(Date.now() + offsetMs) }))).toEqual({ status: 401, body: { error: 'stale-timestamp' } });
});

test.each([
  ['Unix seconds', () => seconds(Date.now())],
  ['Unix seconds with a fraction', () => (Date.now() / 1000).toFixed(3)],
  ['Unix milliseconds', () => String(Date.now())],
  ['RFC 3339', () => new Date().toISOString()],
  ['RFC 3339 with an offset, 4 minutes old', () => new Date(Date.now() - 4 * 60_000 + 2 * 3600_000).toISOString().replace('Z', '+02:00')],
  ['an HTTP date', () => new Date().toUTCString()],
])('X-Timestamp as %s is read', async (_name, timestamp) => {
  expect(await post(h.receiver, signedDelivery({ timestamp: timestamp() }))).toEqual({ status: 200, body: { outcome: 'test-event' } });
});

test('a signed X-Timestamp in no known format is refused 401, and the log line shows the value (not the signature)', async () => {
  const delivery = signedDelivery({ timestamp: 'yesterday at noon' });
  expect(await post(h.receiver, delivery)).toEqual({ status: 401, body: { error: 'bad-timestamp' } });
  const line = h.lines.map((text) => JSON.parse(text)).find((entry) => entry.timestamp === 'yesterday at noon');
  expect(line).toMatchObject({ level: 'error', webhook: { answer: 'bad-timestamp', status: 401 }, webhookID: WEBHOOK_ID });
});

test('the same delivery twice: the second is a replayed nonce, refused 409', async () => {
  const delivery = signedDelivery();
  expect((await post(h.receiver, delivery)).status).toBe(200);
  expect(await post(h.receiver, delivery)).toEqual({ status: 409, body: { error: 'replayed-nonce' } });
});

test('ten copies sent at once: one is acknowledged, nine are refused 409', async () => {
  const delivery = signedDelivery();
  const answers = await Promise.all(Array.from({ length: 10 }, () => post(h.receiver, delivery)));
  expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
});

test('the same nonce under another webhook is another delivery', async () => {
  const nonce = randomUUID();
  expect((await post(h.receiver, signedDelivery({ nonce }))).status).toBe(200);
  expect((await post(h.receiver, signedDelivery({ nonce, webhookID: randomUUID() }))).status).toBe(200);
});

test.each([
  ['not JSON', 'eventID=1&type=account.updated'],
  ['JSON without an eventID', JSON.stringify({ type: 'event.test', data: {}, createdOn: new Date().toISOString() })],
  ['JSON whose data is not an object', JSON.stringify({ eventID: randomUUID(), type: 'event.test', data: 'ping', createdOn: new Date().toISOString() })],
  ['an account event without data.accountID', moovEvent('capability.updated', { capabilityID: 'collect-funds', status: 'enabled' })],
  ['an account event whose accountID is a path', moovEvent('account.updated', { accountID: '../accounts' })],
  ['empty', ''],
])('a correctly signed body that is %s is refused 400', async (_name, body) => {
  expect(await post(h.receiver, signedDelivery({ body }))).toEqual({ status: 400, body: { error: 'bad-body' } });
});

test("a refused body does not spend the nonce: the same delivery is refused the same way, not as a replay", async () => {
  const delivery = signedDelivery({ body: '{not json' });
  expect((await post(h.receiver, delivery)).status).toBe(400);
  expect((await post(h.receiver, delivery)).status).toBe(400);
});

test('a body larger than any Moov event is refused 413', async () => {
  const body = JSON.stringify({ eventID: randomUUID(), type: 'event.test', data: { padding: 'x'.repeat(100_000) }, createdOn: new Date().toISOString() });
  expect(await post(h.receiver, signedDelivery({ body }))).toEqual({ status: 413, body: { error: 'body-too-large' } });
});

test('an event type the receiver does not act on is acknowledged and counted', async () => {
  expect(await post(h.receiver, signedDelivery({ body: moovEvent('transfer.updated', { transferID: randomUUID() }) }))).toEqual({ status: 200, body: { outcome: 'ignored-type' } });
});

test('another path is 404, another method 405 with Allow: POST', async () => {
  expect(await post(h.receiver, signedDelivery(), '/webhooks/stripe')).toEqual({ status: 404, body: { error: 'not-found' } });
  const response = await request(`${h.receiver.url}${WEBHOOK_PATH}`, { method: 'GET' });
  expect(response.statusCode).toBe(405);
  expect(response.headers.allow).toBe('POST');
  await response.body.text();
});

test('the signature is checked before the timestamp: a stale forgery is a bad signature, not a stale delivery', async () => {
  const stale = signedDelivery({ timestamp: seconds(Date.now() - 3600_000), secret: 'whsec_forger_00000000000000000000' });
  expect(await post(h.receiver, stale)).toEqual({ status: 401, body: { error: 'bad-signature' } });
});

test('every answer above has its counter, and no log line holds a secret or a signature', async () => {
  // One more of each kind, counted from here on.
  const before = parsePrometheus(await (await fetch(metricsUrl)).text());
  const refusals = (s: Map<string, number>, reason: string) => sampleSum(s, METRICS.webhookRefusals, { reason });
  const delivered = (s: Map<string, number>, outcome: string) => sampleSum(s, METRICS.webhookDeliveries, { outcome });
  const forged = signedDelivery({ secret: 'whsec_someone_else_0000000000000000' });
  await post(h.receiver, forged);
  await post(h.receiver, without(signedDelivery(), 'x-nonce'));
  await post(h.receiver, signedDelivery({ timestamp: seconds(Date.now() - 3600_000) }));
  await post(h.receiver, signedDelivery({ body: '' }));
  const once = signedDelivery();
  await post(h.receiver, once);
  await post(h.receiver, once);

  let after = before;
  // The exporter is read asynchronously: poll until the last of them shows (no fixed sleep).
  for (let tries = 0; tries < 50 && delivered(after, 'test-event') === delivered(before, 'test-event'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = parsePrometheus(await (await fetch(metricsUrl)).text());
  }
  for (const reason of ['bad-signature', 'missing-header', 'stale-timestamp', 'bad-body', 'replayed-nonce']) {
    expect([reason, refusals(after, reason) - refusals(before, reason)]).toEqual([reason, 1]);
  }
  expect(delivered(after, 'test-event') - delivered(before, 'test-event')).toBe(1);
  expect(refusals(after, 'bad-timestamp')).toBeGreaterThanOrEqual(1);
  expect(delivered(after, 'ignored-type')).toBeGreaterThanOrEqual(1);

  // Each refusal has its log line; none holds the secrets or any signature that was sent.
  const logged = h.lines.join('\n');
  expect(h.lines.filter((line) => JSON.parse(line).webhook?.answer === 'bad-signature').length).toBeGreaterThanOrEqual(1);
  expect(logged).not.toContain(SECRET);
  expect(logged).not.toContain(PREVIOUS_SECRET);
  expect(logged).not.toContain(forged.headers['x-signature']);
  expect(logged).not.toContain(once.headers['x-signature']);
  expect(logged).not.toMatch(/[0-9a-f]{128}/);
});


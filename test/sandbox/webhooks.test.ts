import { performance } from 'node:perf_hooks';
import type { Delivery } from '../../src/sandbox';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_TIMEOUT_MS } from '../../src/sandbox';
import { eventually } from '../support/eventually';
import { TestSandbox } from './support/helpers';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec-sandbox-tests';

/** A loopback URL nothing listens on: a port just given up by a closed receiver. */
async function closedPortUrl(): Promise<string> {
  const gone = await WebhookReceiver.start(SECRET);
  const url = gone.url;
  await gone.close();
  return url;
}

async function deliveries(sb: TestSandbox, query = ''): Promise<Delivery[]> {
  return (await sb.admin('GET', `/_sandbox/webhook/deliveries${query}`)) as Delivery[];
}

/** The log once the event's attempt `attempts` has been answered and the delivery is in `state`. */
function settledAt(sb: TestSandbox, eventID: string, attempts: number, state: Delivery['state']): Promise<Delivery> {
  return eventually(`delivery ${eventID} ${state} after ${attempts} attempts`, async () => {
    const [d] = await deliveries(sb, `?eventID=${eventID}`);
    return d && d.attempts.length === attempts && d.state === state ? d : undefined;
  });
}

describe('sandbox: webhook configuration (admin)', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await TestSandbox.start();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  it('is set, shown without its secret, updated under the same id, and removed', async () => {
    expect(await sb.admin('GET', '/_sandbox/webhook')).toEqual({ webhook: null });
    const set = await sb.admin('PUT', '/_sandbox/webhook', { url: 'http://127.0.0.1:9/hooks', secret: 's1' });
    expect(set.webhook).toEqual({
      webhookID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'http://127.0.0.1:9/hooks',
      retryDelaysMs: [...DEFAULT_WEBHOOK_RETRY_DELAYS_MS],
      timeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
    });
    expect(JSON.stringify(await sb.admin('GET', '/_sandbox/webhook'))).not.toContain('s1');

    const updated = await sb.admin('PUT', '/_sandbox/webhook', { url: 'http://127.0.0.1:9/other', secret: 's2', retryDelaysMs: [5], timeoutMs: 100 });
    expect(updated.webhook).toEqual({ webhookID: set.webhook.webhookID, url: 'http://127.0.0.1:9/other', retryDelaysMs: [5], timeoutMs: 100 });

    expect((await sb.adminRaw('DELETE', '/_sandbox/webhook')).status).toBe(204);
    expect(await sb.admin('GET', '/_sandbox/webhook')).toEqual({ webhook: null });
    expect((await sb.adminRaw('POST', '/_sandbox/webhook/test')).status).toBe(409);
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://127.0.0.1/x', secret: 's' }, 'url'],
    ['no secret', { url: 'http://127.0.0.1:9/x' }, 'secret'],
    ['an empty secret', { url: 'http://127.0.0.1:9/x', secret: '' }, 'secret'],
    ['a negative retry delay', { url: 'http://127.0.0.1:9/x', secret: 's', retryDelaysMs: [-1] }, 'retryDelaysMs'],
    ['an unknown field', { url: 'http://127.0.0.1:9/x', secret: 's', events: ['*'] }, '(body)'],
  ])('refuses %s with 422', async (_name, body, field) => {
    const res = await sb.adminRaw('PUT', '/_sandbox/webhook', body);
    expect(res.status).toBe(422);
    expect(res.body.error).toContain(field);
    expect(await sb.admin('GET', '/_sandbox/webhook')).toEqual({ webhook: null });
  });

  it('refuses bad start-up options before listening', async () => {
    await expect(TestSandbox.start({ webhook: { url: 'not a url', secret: 's' } })).rejects.toThrow(/webhook: url/);
  });

  it('records nothing while no webhook is set (Moov has nowhere to send)', async () => {
    const accountID = await sb.seedMerchant({ capabilities: [{ capability: 'transfers' }] });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/capabilities/transfers`, { status: 'disabled' });
    expect(await deliveries(sb)).toEqual([]);
  });
});

describe('sandbox: webhook deliveries', () => {
  let receiver: WebhookReceiver;
  let sb: TestSandbox;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start(SECRET);
    sb = await TestSandbox.start({ webhook: { url: receiver.url, secret: SECRET, webhookID: 'wh-start-up' }, seedDemo: true });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await sb.reset();
    receiver.answerWith(() => 200);
  });

  it('sends nothing for the start-up and after-reset seeding', async () => {
    // The demo merchant was seeded at start and again by the reset; the test event shows the log is live.
    const { eventID } = await sb.admin('POST', '/_sandbox/webhook/test');
    await settledAt(sb, eventID, 1, 'delivered');
    expect((await deliveries(sb)).map((d) => d.event.type)).toEqual(['event.test']);
  });

  it('sends one event per real change: a write that changes nothing is no news', async () => {
    const accountID = await sb.seedMerchant({ email: 'same@example.com', capabilities: [{ capability: 'transfers', status: 'enabled' }] });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}`, { email: 'same@example.com' });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/capabilities/transfers`, { status: 'enabled' });
    // A capability first named by a review is requested, not updated.
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/capabilities/send-funds`, { status: 'pending', requirements: { currentlyDue: ['business.ein'] } });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/capabilities/transfers`, { status: 'disabled', disabledReason: 'review' });
    const { eventID } = await sb.admin('POST', '/_sandbox/webhook/test');
    await settledAt(sb, eventID, 1, 'delivered');

    const log = await deliveries(sb, `?accountID=${accountID}`);
    expect(log.map((d) => [d.event.type, d.event.data])).toEqual([
      ['account.created', { accountID }],
      ['capability.requested', { accountID, capabilityID: 'transfers' }],
      // verified → pending: a field of the account changed.
      ['capability.requested', { accountID, capabilityID: 'send-funds' }],
      ['account.updated', { accountID }],
      ['capability.updated', { accountID, capabilityID: 'transfers', status: 'disabled' }],
    ]);
    expect(new Set(log.map((d) => d.webhookID))).toEqual(new Set(['wh-start-up']));
  });

  it('retries on the default schedule, due on the business clock, and fails for good after the last entry', async () => {
    receiver.answerWith(() => 503);
    const before = receiver.received.length;
    const { eventID } = await sb.admin('POST', '/_sandbox/webhook/test');
    let delivery = await settledAt(sb, eventID, 1, 'pending');
    for (const [i, delay] of DEFAULT_WEBHOOK_RETRY_DELAYS_MS.entries()) {
      const answered = Date.parse(delivery.attempts[i]!.timestamp);
      const due = Date.parse(delivery.nextAttemptAt!);
      // Due `delay` after the attempt was answered (the answer took durationMs after its timestamp).
      expect(due - answered).toBeGreaterThanOrEqual(delay);
      expect(due - answered).toBeLessThanOrEqual(delay + delivery.attempts[i]!.durationMs + 50);
      // Nothing more arrives until the business clock reaches the due time.
      expect(receiver.received.length - before).toBe(i + 1);
      await sb.admin('POST', '/_sandbox/clock', { advanceMs: delay });
      const last = i === DEFAULT_WEBHOOK_RETRY_DELAYS_MS.length - 1;
      delivery = await settledAt(sb, eventID, i + 2, last ? 'failed' : 'pending');
    }
    expect(delivery.attempts.map((a) => a.status)).toEqual(DEFAULT_WEBHOOK_RETRY_DELAYS_MS.map(() => 503).concat(503));
    expect(delivery.lastStatus).toBe(503);
    expect(delivery.nextAttemptAt).toBeUndefined();
    const sent = receiver.received.slice(before);
    expect(sent).toHaveLength(DEFAULT_WEBHOOK_RETRY_DELAYS_MS.length + 1);
    expect(new Set(sent.map((d) => d.body.eventID))).toEqual(new Set([eventID]));
    expect(new Set(sent.map((d) => d.headers['x-nonce'])).size).toBe(sent.length);
    expect(sent.every((d) => d.signatureValid)).toBe(true);
  });

  it('gives an attempt timeoutMs to answer, then retries', async () => {
    await sb.admin('PUT', '/_sandbox/webhook', { url: receiver.url, secret: SECRET, timeoutMs: 200, retryDelaysMs: [0] });
    let hung = false;
    receiver.answerWith(() => {
      if (hung) return 200;
      hung = true;
      return 'hang';
    });
    const { eventID } = await sb.admin('POST', '/_sandbox/webhook/test');
    const delivery = await settledAt(sb, eventID, 2, 'delivered');
    expect(delivery.attempts[0]).toMatchObject({ status: null, error: 'timeout' });
    expect(delivery.attempts[0]!.durationMs).toBeGreaterThanOrEqual(190);
    expect(delivery.attempts[1]).toMatchObject({ status: 200 });
    expect(delivery.attempts[1]!.nonce).not.toBe(delivery.attempts[0]!.nonce);
  });

  it('counts a redirect and a refused connection as failures, and says so in the log', async () => {
    await sb.admin('PUT', '/_sandbox/webhook', { url: receiver.url, secret: SECRET, retryDelaysMs: [] });
    receiver.answerWith(() => 302);
    const redirected = await sb.admin('POST', '/_sandbox/webhook/test');
    expect(await settledAt(sb, redirected.eventID, 1, 'failed')).toMatchObject({ lastStatus: 302 });

    await sb.admin('PUT', '/_sandbox/webhook', { url: await closedPortUrl(), secret: SECRET, retryDelaysMs: [] });
    const refused = await sb.admin('POST', '/_sandbox/webhook/test');
    const failed = await settledAt(sb, refused.eventID, 1, 'failed');
    expect(failed.lastStatus).toBeNull();
    expect(failed.attempts[0]).toMatchObject({ status: null, error: 'ECONNREFUSED' });
  });

  it('retries go to the webhook as it is now; replacing or removing it cancels what is open', async () => {
    const second = await WebhookReceiver.start('whsec-rotated');
    try {
      receiver.answerWith(() => 500);
      const first = await sb.admin('POST', '/_sandbox/webhook/test');
      await settledAt(sb, first.eventID, 1, 'pending');
      // The same webhook, moved and with a new secret: the retry goes there, signed with the new secret.
      await sb.admin('PUT', '/_sandbox/webhook', { url: second.url, secret: 'whsec-rotated' });
      await sb.admin('POST', '/_sandbox/clock', { advanceMs: DEFAULT_WEBHOOK_RETRY_DELAYS_MS[0] });
      const [retried] = await second.waitFor(1);
      expect(retried!.body.eventID).toBe(first.eventID);
      expect(retried!.signatureValid).toBe(true);
      expect(retried!.headers['x-webhook-id']).toBe('wh-start-up');
      await settledAt(sb, first.eventID, 2, 'delivered');

      second.answerWith(() => 500);
      const replaced = await sb.admin('POST', '/_sandbox/webhook/test');
      await settledAt(sb, replaced.eventID, 1, 'pending');
      await sb.admin('PUT', '/_sandbox/webhook', { url: second.url, secret: 'whsec-rotated', webhookID: 'wh-other' });
      expect((await deliveries(sb, `?eventID=${replaced.eventID}`))[0]).toMatchObject({
        state: 'cancelled',
        cancelledBecause: 'webhook wh-start-up replaced',
      });

      const removed = await sb.admin('POST', '/_sandbox/webhook/test');
      await settledAt(sb, removed.eventID, 1, 'pending');
      await sb.admin('DELETE', '/_sandbox/webhook');
      const [gone] = await deliveries(sb, `?eventID=${removed.eventID}`);
      expect(gone).toMatchObject({ state: 'cancelled', cancelledBecause: 'webhook wh-other removed', webhookID: 'wh-other' });
      expect(gone!.nextAttemptAt).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('a reset restores the start-up webhook, empties the log and cancels pending retries', async () => {
    receiver.answerWith(() => 500);
    const before = await sb.admin('POST', '/_sandbox/webhook/test');
    await settledAt(sb, before.eventID, 1, 'pending');
    await sb.admin('PUT', '/_sandbox/webhook', { url: 'http://127.0.0.1:9/x', secret: 's', webhookID: 'wh-runtime' });
    await sb.reset();
    expect((await sb.admin('GET', '/_sandbox/webhook')).webhook).toMatchObject({ webhookID: 'wh-start-up', url: receiver.url });
    expect(await deliveries(sb)).toEqual([]);

    receiver.answerWith(() => 200);
    const count = receiver.received.length;
    // Past the cancelled retry's due time: had it survived the reset, it would arrive before this event.
    await sb.admin('POST', '/_sandbox/clock', { advanceMs: DEFAULT_WEBHOOK_RETRY_DELAYS_MS[0] });
    const after = await sb.admin('POST', '/_sandbox/webhook/test');
    const received = await receiver.waitFor(count + 1);
    expect(received[count]!.body.eventID).toBe(after.eventID);
    expect((await deliveries(sb)).map((d) => d.event.eventID)).toEqual([after.eventID]);
  });

  it('filters the log by type, account and state', async () => {
    const accountID = await sb.seedMerchant();
    const { eventID } = await sb.admin('POST', '/_sandbox/webhook/test');
    await settledAt(sb, eventID, 1, 'delivered');
    expect((await deliveries(sb, '?type=event.test')).map((d) => d.event.eventID)).toEqual([eventID]);
    expect((await deliveries(sb, `?accountID=${accountID}`)).map((d) => d.event.type)).toEqual(['account.created']);
    expect(await deliveries(sb, '?state=failed')).toEqual([]);
  });
});

describe('sandbox: webhooks and close()', () => {
  it('does not wait for a delivery in flight', async () => {
    const receiver = await WebhookReceiver.start(SECRET);
    receiver.answerWith(() => 'hang');
    const sb = await TestSandbox.start({ webhook: { url: receiver.url, secret: SECRET, retryDelaysMs: [0] } });
    try {
      await sb.admin('POST', '/_sandbox/webhook/test');
      await receiver.waitFor(1);
      const started = performance.now();
      await sb.close();
      // Well inside the 5 s attempt timeout: the attempt was aborted, not waited out.
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await sb.close();
      await receiver.close();
    }
  });
});

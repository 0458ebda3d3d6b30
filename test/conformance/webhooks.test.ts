import {
  WebhookDataAccountCreated$inboundSchema,
  WebhookDataAccountUpdated$inboundSchema,
  WebhookDataCapabilityRequested$inboundSchema,
  WebhookDataCapabilityUpdated$inboundSchema,
  WebhookDataRepresentativeCreated$inboundSchema,
  WebhookDataRepresentativeDisabled$inboundSchema,
  WebhookDataRepresentativeUpdated$inboundSchema,
  WebhookEventType,
  webhookEventFromJSON,
} from '@moovio/sdk/models/components';
import type { Delivery } from '../../src/sandbox';
import { DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';
import { TestSandbox } from './helpers';
import type { Received } from '../sandbox/support/webhook-receiver';
import { WebhookReceiver } from '../sandbox/support/webhook-receiver';

const SECRET = 'whsec-conformance';

/**
 * The SDK's data model for each event type the sandbox sends (`representative.deleted` is
 * modelled as WebhookDataRepresentativeDisabled). `event.test` has none: the SDK's WebhookData
 * union leaves it out, and Moov's guide gives its data as `{ping: true}`.
 */
const DATA_SCHEMAS = {
  'account.created': WebhookDataAccountCreated$inboundSchema,
  'account.updated': WebhookDataAccountUpdated$inboundSchema,
  'capability.requested': WebhookDataCapabilityRequested$inboundSchema,
  'capability.updated': WebhookDataCapabilityUpdated$inboundSchema,
  'representative.created': WebhookDataRepresentativeCreated$inboundSchema,
  'representative.updated': WebhookDataRepresentativeUpdated$inboundSchema,
  'representative.deleted': WebhookDataRepresentativeDisabled$inboundSchema,
} as const;

/** The SDK's zod objects strip unknown keys; this is what they know, so extra keys can be caught. */
function knownKeys(schema: unknown): string[] {
  return Object.keys((schema as { shape: Record<string, unknown> }).shape);
}

/** Parses a delivered body as the SDK does, and its data with the model for its type; fails on anything the SDK would not model. */
function parseWithSdk(delivery: Received) {
  const parsed = webhookEventFromJSON(delivery.raw);
  if (!parsed.ok) throw parsed.error;
  const event = parsed.value;
  expect(event.createdOn).toBeInstanceOf(Date);
  expect(Number.isNaN(event.createdOn.getTime())).toBe(false);
  if (event.type === 'event.test') {
    expect(delivery.body.data).toEqual({ ping: true });
    return event;
  }
  expect(Object.values(WebhookEventType)).toContain(event.type);
  const schema = DATA_SCHEMAS[event.type as keyof typeof DATA_SCHEMAS];
  expect(schema).toBeDefined();
  schema.parse(delivery.body.data);
  expect(knownKeys(schema)).toEqual(expect.arrayContaining(Object.keys(delivery.body.data)));
  return event;
}

describe('conformance (@moovio/sdk): the webhook events the sandbox sends', () => {
  let receiver: WebhookReceiver;
  let sb: TestSandbox;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(SECRET);
    // Short retries, so the 500 case is redelivered within the test.
    sb = await TestSandbox.start({ webhook: { url: receiver.url, secret: SECRET, retryDelaysMs: [20, 20] } });
  });
  afterAll(async () => {
    await sb?.close();
    await receiver?.close();
  });

  it('every state change kind arrives signed, parses with the SDK, and the log records each attempt', async () => {
    // The first delivery of the capability.updated event is answered 500; every other one 200.
    let refused: string | undefined;
    receiver.answerWith((d) => {
      if (d.body?.type === 'capability.updated' && refused === undefined) {
        refused = d.body.eventID as string;
        return 500;
      }
      return 200;
    });

    const accountID = await sb.seedMerchant({
      foreignID: 'crm-4711',
      capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { currentlyDue: ['document.business.verification'] } }],
    });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/capabilities/collect-funds`, { status: 'enabled', requirements: { currentlyDue: [] } });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}`, { email: 'new-owner@example.com' });
    const rep = await sb.admin('POST', `/_sandbox/accounts/${accountID}/representatives`, { name: { firstName: 'Ada', lastName: 'Lovelace' } });
    await sb.admin('PATCH', `/_sandbox/accounts/${accountID}/representatives/${rep.representativeID}`, { email: 'ada@example.com' });
    await sb.admin('DELETE', `/_sandbox/accounts/${accountID}/representatives/${rep.representativeID}`);
    const { eventID: testEventID } = await sb.admin('POST', '/_sandbox/webhook/test');

    // account.created, capability.requested, capability.updated (twice: 500, then 200),
    // account.updated (verification pending → verified), account.updated (email),
    // representative.created/updated/deleted, event.test.
    const received = await receiver.waitFor(10);
    const events = received.map(parseWithSdk);

    for (const d of received) {
      expect(d.signatureValid).toBe(true);
      expect(d.headers['x-signature']).toMatch(/^[0-9a-f]{128}$/);
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['x-account-id']).toBe(DEFAULT_PARTNER_ACCOUNT_ID);
      expect(new Date(d.headers['x-timestamp'] as string).toISOString()).toBe(d.headers['x-timestamp']);
    }
    expect(new Set(received.map((d) => d.headers['x-webhook-id'])).size).toBe(1);
    expect(new Set(received.map((d) => d.headers['x-nonce'])).size).toBe(received.length);

    const byType = (type: string) => events.filter((e) => e.type === type);
    expect(byType('account.created').map((e) => e.data)).toEqual([{ accountID, foreignID: 'crm-4711' }]);
    expect(byType('capability.requested').map((e) => e.data)).toEqual([{ accountID, foreignID: 'crm-4711', capabilityID: 'collect-funds' }]);
    expect(byType('account.updated')).toHaveLength(2);
    for (const type of ['representative.created', 'representative.updated', 'representative.deleted']) {
      expect(byType(type).map((e) => e.data)).toEqual([{ accountID, representativeID: rep.representativeID }]);
    }
    expect(byType('event.test').map((e) => e.eventID)).toEqual([testEventID]);

    // One eventID per event; the refused one came again with the same eventID and body, a new nonce and a valid new signature.
    const updated = received.filter((d) => d.body.type === 'capability.updated');
    expect(updated.map((d) => d.answeredWith)).toEqual([500, 200]);
    expect(updated.map((d) => d.body.eventID)).toEqual([refused, refused]);
    expect(updated[1]?.raw).toBe(updated[0]?.raw);
    expect(updated[1]?.headers['x-nonce']).not.toBe(updated[0]?.headers['x-nonce']);
    expect(updated[1]?.headers['x-signature']).not.toBe(updated[0]?.headers['x-signature']);
    expect(updated.map((d) => (d.body.data as { status: string }).status)).toEqual(['enabled', 'enabled']);
    const eventIDs = received.map((d) => d.body.eventID as string);
    expect(new Set(eventIDs).size).toBe(9);

    // The log: one entry per event, every attempt with the nonce and timestamp the receiver saw and the status it answered.
    const log = (await sb.admin('GET', '/_sandbox/webhook/deliveries')) as Delivery[];
    expect(log.map((d) => d.event.eventID).sort()).toEqual([...new Set(eventIDs)].sort());
    for (const entry of log) {
      const seen = received.filter((d) => d.body.eventID === entry.event.eventID);
      expect(entry.state).toBe('delivered');
      expect(JSON.stringify(entry.event)).toBe(seen[0]?.raw);
      expect(entry.attempts.map((a) => [a.nonce, a.timestamp, a.status])).toEqual(
        seen.map((d) => [d.headers['x-nonce'], d.headers['x-timestamp'], d.answeredWith]),
      );
      expect(entry.lastStatus).toBe(200);
    }
    expect(log.find((d) => d.event.eventID === refused)?.attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'undici';
import { createLogger } from '../../../src/observability';
import { startWebhookReceiver, WEBHOOK_PATH, type WebhookReceiver, type WebhookReceiverOptions } from '../../../src/webhooks';

/**
 * Moov's side of a delivery, written from Moov's guide (docs.moov.io/guides/webhooks/
 * check-webhook-signatures) rather than from the receiver's code, so that the two cannot share a
 * mistake: X-Signature = hex(HMAC-SHA512(secret, `${X-Timestamp}|${X-Nonce}|${X-Webhook-ID}`)).
 */
export const SECRET = 'whsec_current_3f9a1c7e5b2d4086a1c3e5f7';
export const PREVIOUS_SECRET = 'whsec_previous_8e2b4d6f0a1c3e5b7d9f1a3c';
export const WEBHOOK_ID = 'b2d1a4f0-5c3e-4e8a-9f1b-2a6c8d0e4f21';

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

export function moovSignature(secret: string, timestamp: string, nonce: string, webhookID: string): string {
  return createHmac('sha512', secret).update(`${timestamp}|${nonce}|${webhookID}`).digest('hex');
}

export interface DeliveryOptions {
  secret?: string;
  /** The X-Timestamp text; default: now, in Unix seconds. */
  timestamp?: string;
  nonce?: string;
  webhookID?: string;
  /** The body as sent; default a JSON event. */
  body?: string;
}

/** A Moov event body: `{eventID, type, data, createdOn}`. */
export function moovEvent(type: string, data: Record<string, unknown>, eventID: string = randomUUID()): string {
  return JSON.stringify({ eventID, type, data, createdOn: new Date().toISOString() });
}

export function signedDelivery(options: DeliveryOptions = {}): Delivery {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomUUID();
  const webhookID = options.webhookID ?? WEBHOOK_ID;
  return {
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-webhook-id': webhookID,
      'x-signature': moovSignature(options.secret ?? SECRET, timestamp, nonce, webhookID),
    },
    body: options.body ?? moovEvent('event.test', { ping: true }),
  };
}

export interface Answered {
  status: number;
  body: { outcome?: string; error?: string };
}

export async function post(receiver: WebhookReceiver, delivery: Delivery, path = WEBHOOK_PATH, method: 'POST' | 'GET' = 'POST'): Promise<Answered> {
  const response = await request(`${receiver.url}${path}`, { method, headers: delivery.headers, ...(method === 'POST' && { body: delivery.body }) });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? (JSON.parse(text) as Answered['body']) : {} };
}

export interface TestReceiver {
  receiver: WebhookReceiver;
  /** Every JSON line the receiver logged so far. */
  lines: string[];
  close(): Promise<void>;
}

/** A receiver on a free loopback port with both secrets, its log lines kept in memory. */
export async function startTestReceiver(options: Pick<WebhookReceiverOptions, 'client' | 'taskQueue'> & Partial<WebhookReceiverOptions>): Promise<TestReceiver> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) } });
  const receiver = await startWebhookReceiver({
    port: 0,
    secrets: [SECRET, PREVIOUS_SECRET],
    timestampToleranceMs: 5 * 60_000,
    autostart: false,
    logger,
    scheduleId: `remediation-sweep-${randomUUID()}`,
    ...options,
  });
  return { receiver, lines, close: () => receiver.close() };
}

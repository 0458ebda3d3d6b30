import { createHmac, randomUUID } from 'node:crypto';

/**
 * Moov's webhook signature (docs.moov.io/guides/webhooks/check-webhook-signatures/): X-Signature
 * is the hex HMAC-SHA512, keyed with the webhook's signing secret, of
 * `${X-Timestamp}|${X-Nonce}|${X-Webhook-ID}`. The body is not signed.
 */
export function webhookSignature(secret: string, timestamp: string, nonce: string, webhookID: string): string {
  return createHmac('sha512', secret).update(`${timestamp}|${nonce}|${webhookID}`).digest('hex');
}

export interface SignedHeaders {
  'x-timestamp': string;
  'x-nonce': string;
  'x-webhook-id': string;
  'x-signature': string;
  /** "The account ID for the developer account connected to the webhook" (docs.moov.io/guides/webhooks/webhook-events/). */
  'x-account-id': string;
}

/**
 * The headers of one delivery attempt. Every attempt gets its own nonce, and so its own signature;
 * the timestamp is the attempt's time in ISO 8601, as Moov's own sender script in
 * moovfinancial/slack-integration stamps it.
 */
export function signedHeaders(secret: string, webhookID: string, accountID: string, timestamp: string): SignedHeaders {
  const nonce = randomUUID();
  return {
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-webhook-id': webhookID,
    'x-signature': webhookSignature(secret, timestamp, nonce, webhookID),
    'x-account-id': accountID,
  };
}

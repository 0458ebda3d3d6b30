import type { IncomingHttpHeaders } from 'node:http';
import type { Refusal } from './answers';
import type { NonceCache } from './nonce-cache';
import { signatureMatches, type SignedHeaders } from './signature';
import { parseWebhookTimestamp } from './timestamp';

export interface VerifyOptions {
  secrets: readonly string[];
  toleranceMs: number;
  nonces: NonceCache;
  now: () => number;
}

export type Verified = { ok: true; webhookID: string; nonceKey: string };
export type Unverified = { ok: false; reason: Refusal; webhookID?: string; timestamp?: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Moov's scheme (docs.moov.io/guides/webhooks/check-webhook-signatures), headers only: all four
 * headers present, the signature first (an unsigned request learns nothing about the window or the
 * nonces, and cannot fill the nonce set), then the timestamp within the window, then the nonce
 * unseen. On success the nonce is reserved: the caller spends or releases it.
 */
export function verifyDelivery(headers: IncomingHttpHeaders, { secrets, toleranceMs, nonces, now }: VerifyOptions): Verified | Unverified {
  const signature = header(headers, 'x-signature');
  const timestamp = header(headers, 'x-timestamp');
  const nonce = header(headers, 'x-nonce');
  const webhookID = header(headers, 'x-webhook-id');
  if (signature === undefined || timestamp === undefined || nonce === undefined || webhookID === undefined) {
    return { ok: false, reason: 'missing-header', ...(webhookID !== undefined && { webhookID }) };
  }
  const signed: SignedHeaders = { timestamp, nonce, webhookID };
  if (!signatureMatches(secrets, signed, signature)) return { ok: false, reason: 'bad-signature', webhookID };

  const sentAt = parseWebhookTimestamp(timestamp);
  if (sentAt === undefined) return { ok: false, reason: 'bad-timestamp', webhookID, timestamp };
  if (Math.abs(now() - sentAt) > toleranceMs) return { ok: false, reason: 'stale-timestamp', webhookID, timestamp };

  // Past sentAt + tolerance the same headers are refused as stale, so the nonce need not be kept longer.
  const nonceKey = `${webhookID}\u0000${nonce}`;
  if (!nonces.reserve(nonceKey, sentAt + toleranceMs)) return { ok: false, reason: 'replayed-nonce', webhookID };
  return { ok: true, webhookID, nonceKey };
}

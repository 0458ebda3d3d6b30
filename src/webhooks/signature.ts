import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Moov's webhook signature (docs.moov.io/guides/webhooks/check-webhook-signatures): `X-Signature`
 * is the hex HMAC-SHA512, keyed with the webhook's signing secret, of
 * `${X-Timestamp}|${X-Nonce}|${X-Webhook-ID}`. Only those headers are signed, never the body.
 */
export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  webhookID: string;
}

/** A SHA-512 digest is 64 bytes: 128 hex digits. */
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;

function digest(secret: string, { timestamp, nonce, webhookID }: SignedHeaders): Buffer {
  return createHmac('sha512', secret).update(`${timestamp}|${nonce}|${webhookID}`).digest();
}

/**
 * Whether `signature` is the signature of `headers` under any of `secrets` (several during a
 * rotation). Compared in constant time (crypto.timingSafeEqual needs equal lengths, so anything but
 * 128 hex digits is refused first), and every secret is tried, so the time says nothing about which
 * one matched or how much of the signature did.
 */
export function signatureMatches(secrets: readonly string[], headers: SignedHeaders, signature: string): boolean {
  if (!SIGNATURE_HEX.test(signature)) return false;
  const given = Buffer.from(signature, 'hex');
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqual(digest(secret, headers), given)) matched = true;
  }
  return matched;
}

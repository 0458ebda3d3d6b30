/** Unix seconds, with or without a fraction, or Unix milliseconds. */
const EPOCH = /^\d{1,16}(\.\d{1,9})?$/;
/** RFC 3339 with its offset (without one, Date.parse would read the local time zone). */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
/** An HTTP date (RFC 9110 §5.6.7, IMF-fixdate). */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Reads Moov's `X-Timestamp` header as epoch milliseconds. Moov's guide
 * (docs.moov.io/guides/webhooks/check-webhook-signatures) and its example handler
 * (github.com/moovfinancial/webhook-handler) use the value only as text in the signed string and
 * never state its format, so each common one is read: Unix seconds (a fraction allowed), Unix
 * milliseconds (told apart by size: 10^11 seconds is the year 5138), RFC 3339 with an offset, and
 * HTTP dates. Anything else is undefined: the receiver refuses it and logs the value (not a secret).
 */
export function parseWebhookTimestamp(value: string): number | undefined {
  const text = value.trim();
  if (EPOCH.test(text)) {
    const number = Number(text);
    return Math.round(number < 1e11 ? number * 1000 : number);
  }
  if (!RFC_3339.test(text) && !HTTP_DATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

import { parseWebhookTimestamp } from '../../../src/webhooks/timestamp';

/** X-Timestamp as epoch milliseconds: each format it may come in, and what is not a time. */
const AT = Date.UTC(2026, 0, 26, 20, 42, 25);

test.each([
  ['Unix seconds', '1769460145', AT],
  ['Unix seconds with a fraction', '1769460145.250', AT + 250],
  ['Unix milliseconds', '1769460145000', AT],
  ['RFC 3339 UTC', '2026-01-26T20:42:25Z', AT],
  ['RFC 3339 with fraction and offset', '2026-01-26T15:42:25.5-05:00', AT + 500],
  ['an HTTP date', 'Mon, 26 Jan 2026 20:42:25 GMT', AT],
  ['padded', ' 1769460145 ', AT],
])('%s is read', (_name, text, expected) => {
  expect(parseWebhookTimestamp(text)).toBe(expected);
});

test.each([
  ['words', 'yesterday'],
  ['a negative number', '-1769460145'],
  ['exponent notation', '1.7e9'],
  ['a local time without an offset (its zone is unknown)', '2026-01-26T20:42:25'],
  ['a date only', '2026-01-26'],
  ['an impossible date', '2026-13-45T99:99:99Z'],
  ['empty', ''],
])('%s is not a timestamp', (_name, text) => {
  expect(parseWebhookTimestamp(text)).toBeUndefined();
});

/**
 * Server wait hints on 429/503 responses. Moov documents three headers across its endpoints
 * (file upload: `X-Retry-In` in milliseconds; payment links: `Retry-After` in seconds; the SDKs
 * read `retry-after-ms`), so all three are honoured. The hint becomes Temporal's
 * `nextRetryDelay`, which is why garbage must yield `undefined` rather than a guess.
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * A hint beyond this is treated as this. It bounds garbage (a date years ahead), not patience: a
 * hint is passed on as Moov gave it, and how long a remediation is prepared to wait is the
 * workflow's decision (a hint past the step's retry budget becomes a durable timer there).
 */
export const MAX_WAIT_HINT_MS = 7 * 24 * 60 * 60 * 1000;

function first(headers: HeaderBag, name: string): string | undefined {
  // undici lower-cases response header names; callers may pass any case.
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  if (key === undefined) return undefined;
  const value = headers[key];
  const raw = Array.isArray(value) ? value[0] : value;
  const trimmed = raw?.trim();
  return trimmed ? trimmed : undefined;
}

function clamp(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(Math.ceil(ms), MAX_WAIT_HINT_MS);
}

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** `retry-after-ms: 1500` (the value may be fractional). */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !DECIMAL.test(value)) return undefined;
  return clamp(Number(value));
}

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign, as Go prints it
  'μs': 1e-3, // U+03BC Greek mu, which Go also accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const GO_DURATION = /^((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_SEGMENT = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * `X-Retry-In`: Moov documents it as "string <duration>" meaning milliseconds, so both a bare
 * number ("1500") and a Go duration ("1.5s", "250ms", "1m30s") appear in the wild.
 */
export function parseRetryIn(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (DECIMAL.test(value)) return clamp(Number(value));
  if (!GO_DURATION.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(GO_SEGMENT)) {
    const unit = GO_UNIT_MS[match[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
  }
  return clamp(total);
}

/**
 * `Retry-After`: delta-seconds (fractional tolerated) or an HTTP date. A date is measured against
 * the response's own `Date` header when present, so a skewed local clock does not distort it.
 */
export function parseRetryAfter(value: string | undefined, dateHeader: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  if (DECIMAL.test(value)) return clamp(Number(value) * 1000);
  // Only date-shaped values: Date.parse accepts things like "5" or "-1" as years.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const serverNow = dateHeader !== undefined ? Date.parse(dateHeader) : Number.NaN;
  const reference = Number.isNaN(serverNow) ? nowMs : serverNow;
  // A date already past means "retry now", which is a valid hint of zero.
  return clamp(Math.max(0, at - reference));
}

/**
 * The wait the server asked for, in milliseconds, or `undefined` when it gave no usable hint.
 * The most precise header wins; a malformed one falls through to the next.
 */
export function parseWaitHint(headers: HeaderBag, nowMs: number = Date.now()): number | undefined {
  return (
    parseRetryAfterMs(first(headers, 'retry-after-ms')) ??
    parseRetryIn(first(headers, 'x-retry-in')) ??
    parseRetryAfter(first(headers, 'retry-after'), first(headers, 'date'), nowMs)
  );
}

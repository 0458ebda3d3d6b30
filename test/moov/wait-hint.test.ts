import { MAX_WAIT_HINT_MS, parseRetryAfter, parseRetryAfterMs, parseRetryIn, parseWaitHint } from '../../src/moov';

const NOW = Date.parse('2026-07-01T12:00:00Z');

describe('retry-after-ms', () => {
  it.each([
    ['1500', 1500],
    ['0', 0],
    ['250.4', 251],
  ])('%s → %d ms', (value, expected) => {
    expect(parseRetryAfterMs(value)).toBe(expected);
  });

  it.each(['-5', 'soon', '1e3', '', '1,5'])('rejects %p', (value) => {
    expect(parseRetryAfterMs(value)).toBeUndefined();
  });
});

describe('X-Retry-In', () => {
  it.each([
    ['1500', 1500],
    ['1.5s', 1500],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['2h', 7_200_000], // passed on: the workflow decides how long it is prepared to wait
    ['200h', MAX_WAIT_HINT_MS], // clamped
    ['500us', 1],
    ['300µs', 1],
    ['0s', 0],
  ])('%s → %d ms', (value, expected) => {
    expect(parseRetryIn(value)).toBe(expected);
  });

  it.each(['-1s', '1.5 s', 'fast', '10x', 's', '1s2'])('rejects %p', (value) => {
    expect(parseRetryIn(value)).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('delta seconds, including fractions', () => {
    expect(parseRetryAfter('3', undefined, NOW)).toBe(3000);
    expect(parseRetryAfter('0.25', undefined, NOW)).toBe(250);
  });

  it('an HTTP date relative to the response Date header, not the local clock', () => {
    const date = 'Wed, 01 Jul 2026 12:00:00 GMT';
    const at = 'Wed, 01 Jul 2026 12:00:05 GMT';
    // Local clock 1 h behind the server: only the Date header gives the right answer.
    expect(parseRetryAfter(at, date, NOW - 3_600_000)).toBe(5000);
  });

  it('an HTTP date relative to the local clock when there is no Date header', () => {
    expect(parseRetryAfter('Wed, 01 Jul 2026 12:00:07 GMT', undefined, NOW)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jul 2026 12:00:07 GMT', 'not a date', NOW)).toBe(7000);
  });

  it('a date in the past means retry now', () => {
    expect(parseRetryAfter('Wed, 01 Jul 2026 11:00:00 GMT', undefined, NOW)).toBe(0);
  });

  it.each(['-3', 'later', '5 seconds', 'Thu, 99 Foo 2026 25:61:00 GMT'])('rejects %p', (value) => {
    expect(parseRetryAfter(value, undefined, NOW)).toBeUndefined();
  });

  it('clamps absurd waits to the maximum', () => {
    expect(parseRetryAfter('86400', undefined, NOW)).toBe(86_400_000);
    expect(parseRetryAfter(String(30 * 86400), undefined, NOW)).toBe(MAX_WAIT_HINT_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', undefined, NOW)).toBe(MAX_WAIT_HINT_MS);
  });
});

describe('parseWaitHint precedence', () => {
  it('prefers retry-after-ms, then X-Retry-In, then Retry-After', () => {
    expect(parseWaitHint({ 'retry-after': '9', 'x-retry-in': '2s', 'retry-after-ms': '700' }, NOW)).toBe(700);
    expect(parseWaitHint({ 'retry-after': '9', 'x-retry-in': '2s' }, NOW)).toBe(2000);
    expect(parseWaitHint({ 'retry-after': '9' }, NOW)).toBe(9000);
  });

  it('falls through a malformed header to the next usable one', () => {
    expect(parseWaitHint({ 'retry-after-ms': 'soon', 'x-retry-in': 'bogus', 'retry-after': '4' }, NOW)).toBe(4000);
  });

  it('matches header names case-insensitively and takes the first of repeated values', () => {
    expect(parseWaitHint({ 'X-Retry-In': ['1200', '9999'] }, NOW)).toBe(1200);
  });

  it('is undefined with no hint or only garbage', () => {
    expect(parseWaitHint({}, NOW)).toBeUndefined();
    expect(parseWaitHint({ 'retry-after': '-1', 'x-retry-in': '' }, NOW)).toBeUndefined();
  });

  it('uses the Date header for HTTP-date Retry-After', () => {
    expect(parseWaitHint({ 'retry-after': 'Wed, 01 Jul 2026 12:00:10 GMT', date: 'Wed, 01 Jul 2026 12:00:00 GMT' }, 0)).toBe(10_000);
  });
});

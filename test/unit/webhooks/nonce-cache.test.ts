import { NonceCache } from '../../../src/webhooks/nonce-cache';

/** The per-replica nonce set on a clock of the test's own: kept for the window, no longer. */
function cacheAt(start = 1_000_000) {
  let now = start;
  const cache = new NonceCache(() => now, 0);
  return { cache, advance: (ms: number) => (now += ms), now: () => now };
}

test('a spent nonce is refused until its expiry, then accepted again', () => {
  const { cache, advance, now } = cacheAt();
  expect(cache.reserve('n1', now() + 300_000)).toBe(true);
  cache.spend('n1');
  expect(cache.reserve('n1', now() + 300_000)).toBe(false);
  advance(299_999);
  expect(cache.reserve('n1', now() + 300_000)).toBe(false);
  advance(1);
  expect(cache.reserve('n1', now() + 300_000)).toBe(true);
});

test('a nonce held by a delivery in hand is refused; released, it is accepted (Moov may retry it)', () => {
  const { cache, now } = cacheAt();
  expect(cache.reserve('n1', now() + 60_000)).toBe(true);
  expect(cache.reserve('n1', now() + 60_000)).toBe(false);
  cache.release('n1');
  expect(cache.reserve('n1', now() + 60_000)).toBe(true);
});

test('release does not undo a spend', () => {
  const { cache, now } = cacheAt();
  cache.reserve('n1', now() + 60_000);
  cache.spend('n1');
  cache.release('n1');
  expect(cache.reserve('n1', now() + 60_000)).toBe(false);
});

test('expired nonces are swept out: memory is bounded by the window', () => {
  const { cache, advance, now } = cacheAt();
  for (let i = 0; i < 1000; i++) {
    cache.reserve(`old-${i}`, now() + 60_000);
    cache.spend(`old-${i}`);
  }
  expect(cache.size).toBe(1000);
  advance(60_000);
  cache.reserve('new', now() + 60_000);
  expect(cache.size).toBe(1);
});

import { TokenBucketLimiter } from '../../src/sandbox/rate-limiter';
import { SAMPLES, useSandbox, uploadForm } from './support/helpers';
import type { TestSandbox } from './support/helpers';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then reports the exact time until the next token', () => {
    let now = 1_000;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 4, now: () => now });
    for (let i = 0; i < 4; i++) expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryInMs: 250 });
    now += 100;
    expect(limiter.take('a')).toEqual({ allowed: false, retryInMs: 150 });
    now += 150;
    expect(limiter.take('a')).toEqual({ allowed: true });
    // Buckets are per key.
    expect(limiter.take('b')).toEqual({ allowed: true });
  });

  it('refills up to the burst size only', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 2, burst: 3, now: () => now });
    now += 60_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('is disabled at 0 rps', () => {
    const limiter = new TokenBucketLimiter({ ratePerSecond: 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('sandbox: rate limiting over HTTP', () => {
  const RPS = 5;
  const ctx = useSandbox({ start: { rateLimitRps: RPS }, seedMerchant: true });

  /** Fires `n` calls at once; the bucket holds RPS tokens, so at least n - RPS - (refill) are refused. */
  async function burst(n: number, call: () => ReturnType<TestSandbox['api']>) {
    return Promise.all(Array.from({ length: n }, call));
  }

  it('answers 429 with X-Retry-In (ms) on /files routes', async () => {
    const results = await burst(RPS + 10, () => ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(RPS);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      const wait = Number(r.headers.get('x-retry-in'));
      expect(Number.isInteger(wait)).toBe(true);
      // One token takes 1000/RPS ms to refill; the hint never exceeds that.
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1000 / RPS);
      expect(r.headers.get('retry-after')).toBeNull();
      expect(r.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('limits uploads too, with X-Retry-In', async () => {
    const results = await burst(RPS + 5, () =>
      ctx.sb.api('POST', `/accounts/${ctx.merchant}/files`, { body: uploadForm({ name: 'a.csv', bytes: SAMPLES.csv }) }),
    );
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => Number(r.headers.get('x-retry-in')) > 0)).toBe(true);
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.files).toHaveLength(results.length - refused.length);
  });

  it.each([
    ['payment links', (m: string) => `/accounts/${m}/payment-links/nope`],
    ['resolution links', (m: string) => `/accounts/${m}/resolution-links`],
    ['accounts', (m: string) => `/accounts/${m}`],
  ])('answers 429 with Retry-After (whole seconds) on %s', async (_name, pathFor) => {
    const results = await burst(RPS + 10, () => ctx.sb.api('GET', pathFor(ctx.merchant)));
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('x-retry-in')).toBeNull();
    }
  });

  it('never limits the admin API', async () => {
    const results = await Promise.all(Array.from({ length: RPS * 4 }, () => ctx.sb.adminRaw('GET', '/_sandbox/clock')));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});

// A slow refill (one token per 5 s) so sequential checks after a burst cannot race a refill.
describe('sandbox: rate limit buckets', () => {
  const ctx = useSandbox({ start: { rateLimitRps: 0.2, rateLimitBurst: 2 }, seedMerchant: true });
  let other: string;

  beforeEach(async () => {
    other = await ctx.sb.seedMerchant();
  });

  it('keeps a separate bucket per account ID', async () => {
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(200);
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(200);
    const refused = await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    expect(refused.status).toBe(429);
    // About 5 s until the next token, rounded up to whole seconds.
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await ctx.sb.api('GET', `/accounts/${other}`)).status).toBe(200);
  });

  it('measures real time, not the business clock', async () => {
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`);
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`);
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    const refused = await ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('x-retry-in'));
    expect(wait).toBeGreaterThan(4000);
    expect(wait).toBeLessThanOrEqual(5000);
  });

  it('starts from a full bucket after reset', async () => {
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(429);
    await ctx.sb.reset();
    const again = await ctx.sb.seedMerchant({ accountID: ctx.merchant });
    expect((await ctx.sb.api('GET', `/accounts/${again}`)).status).toBe(200);
  });
});

// The stricter reading of Moov's limit (used by `npm run bench`): one bucket for all of the partner's calls.
describe('sandbox: rateLimitScope partner', () => {
  const ctx = useSandbox({ start: { rateLimitRps: 0.2, rateLimitBurst: 2, rateLimitScope: 'partner' }, seedMerchant: true });

  it('shares one bucket across account IDs', async () => {
    const other = await ctx.sb.seedMerchant();
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(200);
    expect((await ctx.sb.api('GET', `/accounts/${other}`)).status).toBe(200);
    expect((await ctx.sb.api('GET', `/accounts/${other}/files`)).status).toBe(429);
    expect((await ctx.sb.api('GET', '/accounts')).status).toBe(429);
  });
});

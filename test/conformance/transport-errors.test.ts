import { Moov } from '@moovio/sdk';
import { HTTPClient } from '@moovio/sdk/lib/http';
import { APIError, ConnectionError } from '@moovio/sdk/models/errors';
import { PUBLIC_KEY, SECRET_KEY } from '../sandbox/support/helpers';
import { basicClient, bearerClient, sdkError, useSandbox } from './helpers';

/**
 * Jest runs tests in a separate realm, so Node's `fetch failed` TypeError fails the SDK's
 * `instanceof TypeError` check and surfaces as UnexpectedClientError. Re-raising it as this realm's
 * TypeError restores what the SDK sees in a plain Node process.
 */
function sameRealmClient(serverURL: string): Moov {
  const httpClient = new HTTPClient({
    fetcher: async (input, init) => {
      try {
        return await fetch(input, init);
      } catch (err) {
        throw new TypeError((err as Error).message, { cause: err });
      }
    },
  });
  return new Moov({ security: { username: PUBLIC_KEY, password: SECRET_KEY }, serverURL, httpClient });
}

describe('conformance (@moovio/sdk): auth, rate limit and transport failures', () => {
  const ctx = useSandbox({ start: { rateLimitRps: 3 }, seedMerchant: true });

  it('maps 401 for wrong keys and a wrong token to APIError, and accepts a valid Bearer token', async () => {
    const wrongKeys = basicClient(ctx.sb.url, 'sandbox-public-key', 'not-the-secret');
    const err = await sdkError(wrongKeys.accounts.get({ accountID: ctx.merchant }), APIError, 401);
    expect(err.headers.get('x-request-id')).toBeTruthy();
    await sdkError(bearerClient(ctx.sb.url, 'expired-token').accounts.get({ accountID: ctx.merchant }), APIError, 401);

    const viaToken = await bearerClient(ctx.sb.url, 'sandbox-access-token').accounts.get({ accountID: ctx.merchant });
    expect(viaToken.result.accountID).toBe(ctx.merchant);
    const log = await ctx.sb.admin('GET', `/_sandbox/requests?accountID=${ctx.merchant}`);
    expect(log.map((e: { auth: string; status: number }) => [e.auth, e.status])).toEqual([
      ['basic', 401],
      ['bearer', 401],
      ['bearer', 200],
    ]);
  });

  it('maps 429 to APIError carrying the wait hint headers', async () => {
    const moov = basicClient(ctx.sb.url);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => moov.resolutionLinks.list({ accountID: ctx.merchant })));
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    expect(refused.length).toBeGreaterThan(0);
    for (const err of refused) {
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).statusCode).toBe(429);
      expect(Number((err as APIError).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }

    const files = await Promise.allSettled(Array.from({ length: 10 }, () => moov.files.list({ accountID: ctx.merchant })));
    const filesRefused = files.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as APIError);
    expect(filesRefused.length).toBeGreaterThan(0);
    for (const err of filesRefused) {
      expect(err.statusCode).toBe(429);
      expect(Number(err.headers.get('x-retry-in'))).toBeGreaterThan(0);
    }
  });

  it('maps injected 500/504 to APIError and a dropped socket to ConnectionError', async () => {
    const moov = sameRealmClient(ctx.sb.url);
    await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: 'GET /accounts/:accountID/resolution-links',
      sequence: [{ status: 500 }, { status: 504 }, { reset: true }],
    });
    await sdkError(moov.resolutionLinks.list({ accountID: ctx.merchant }), APIError, 500);
    await sdkError(moov.resolutionLinks.list({ accountID: ctx.merchant }), APIError, 504);
    await sdkError(moov.resolutionLinks.list({ accountID: ctx.merchant }), ConnectionError);
  });

  it('lets an apply-then-fail create surface as 500 while the link exists', async () => {
    const moov = basicClient(ctx.sb.url);
    await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: 'POST /accounts/:accountID/resolution-links',
      sequence: [{ applyThenFail: 'status-500' }],
    });
    await sdkError(
      moov.resolutionLinks.create({ accountID: ctx.merchant, createResolutionLink: { recipient: { email: 'a@example.com' } } }),
      APIError,
      500,
    );
    const links = (await moov.resolutionLinks.list({ accountID: ctx.merchant })).result;
    expect(links.map((l) => l.status)).toEqual(['active']);
  });
});

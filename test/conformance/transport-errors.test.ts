import { Moov } from '@moovio/sdk';
import { HTTPClient } from '@moovio/sdk/lib/http';
import { APIError, ConnectionError } from '@moovio/sdk/models/errors';
import { PUBLIC_KEY, SECRET_KEY } from '../sandbox/helpers';
import { TestSandbox, basicClient, bearerClient, sdkError } from './helpers';

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
  let sb: TestSandbox;
  let accountID: string;

  beforeAll(async () => {
    sb = await TestSandbox.start({ rateLimitRps: 3 });
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    await sb.reset();
    accountID = await sb.seedMerchant();
  });

  it('maps 401 for wrong keys and a wrong token to APIError, and accepts a valid Bearer token', async () => {
    const wrongKeys = basicClient(sb.url, 'sandbox-public-key', 'not-the-secret');
    const err = await sdkError(wrongKeys.accounts.get({ accountID }), APIError, 401);
    expect(err.headers.get('x-request-id')).toBeTruthy();
    await sdkError(bearerClient(sb.url, 'expired-token').accounts.get({ accountID }), APIError, 401);

    const viaToken = await bearerClient(sb.url, 'sandbox-access-token').accounts.get({ accountID });
    expect(viaToken.result.accountID).toBe(accountID);
    const log = await sb.admin('GET', `/_sandbox/requests?accountID=${accountID}`);
    expect(log.map((e: { auth: string; status: number }) => [e.auth, e.status])).toEqual([
      ['basic', 401],
      ['bearer', 401],
      ['bearer', 200],
    ]);
  });

  it('maps 429 to APIError carrying the wait hint headers', async () => {
    const moov = basicClient(sb.url);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => moov.resolutionLinks.list({ accountID })));
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    expect(refused.length).toBeGreaterThan(0);
    for (const err of refused) {
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).statusCode).toBe(429);
      expect(Number((err as APIError).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }

    const files = await Promise.allSettled(Array.from({ length: 10 }, () => moov.files.list({ accountID })));
    const filesRefused = files.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as APIError);
    expect(filesRefused.length).toBeGreaterThan(0);
    for (const err of filesRefused) {
      expect(err.statusCode).toBe(429);
      expect(Number(err.headers.get('x-retry-in'))).toBeGreaterThan(0);
    }
  });

  it('maps injected 500/504 to APIError and a dropped socket to ConnectionError', async () => {
    const moov = sameRealmClient(sb.url);
    await sb.admin('POST', '/_sandbox/faults', {
      route: 'GET /accounts/:accountID/resolution-links',
      sequence: [{ status: 500 }, { status: 504 }, { reset: true }],
    });
    await sdkError(moov.resolutionLinks.list({ accountID }), APIError, 500);
    await sdkError(moov.resolutionLinks.list({ accountID }), APIError, 504);
    await sdkError(moov.resolutionLinks.list({ accountID }), ConnectionError);
  });

  it('lets an apply-then-fail create surface as 500 while the link exists', async () => {
    const moov = basicClient(sb.url);
    await sb.admin('POST', '/_sandbox/faults', {
      route: 'POST /accounts/:accountID/resolution-links',
      sequence: [{ applyThenFail: 'status-500' }],
    });
    await sdkError(
      moov.resolutionLinks.create({ accountID, createResolutionLink: { recipient: { email: 'a@example.com' } } }),
      APIError,
      500,
    );
    const links = (await moov.resolutionLinks.list({ accountID })).result;
    expect(links.map((l) => l.status)).toEqual(['active']);
  });
});

import { httpError, notFoundSubject } from '../../src/moov/errors';
import { moovError, startHarness } from './support/harness';
import type { Harness } from './support/harness';

/**
 * Moov documents 404 with headers only, so the message itself must say what was not found:
 * the client derives it from the request path.
 */
describe('notFoundSubject', () => {
  it.each([
    ['/accounts/acct_1/files', 'account acct_1'],
    ['/accounts/acct_1', 'account acct_1'],
    ['/accounts/acct_1/resolution-links', 'account acct_1'],
    ['/accounts/acct_1/connections', 'account acct_1'],
    ['/accounts/acct_1/files/file_9', 'account acct_1 or its file file_9'],
    ['/accounts/acct_1/resolution-links/bwebMOhZ85', 'account acct_1 or its resolution link bwebMOhZ85'],
    ['/accounts/acct_1/payment-links/uc7ZYKrMhi', 'account acct_1 or its payment link uc7ZYKrMhi'],
    ['/accounts/acct%3F1/capabilities/collect-funds?x=1', 'account acct?1 or its capability collect-funds'],
  ])('%s → %s', (path, expected) => {
    expect(notFoundSubject(path)).toBe(expected);
  });

  it('says nothing for paths that name no account', () => {
    expect(notFoundSubject('/accounts')).toBeUndefined();
    expect(notFoundSubject('/ping')).toBeUndefined();
  });
});

describe('httpError 404', () => {
  const base = { operation: 'listFiles', status: 404, requestId: 'req1', retryAfterMs: undefined, notFound: 'account acct_1' };

  it('headers only: names what Moov does not have', () => {
    expect(httpError({ ...base, bodyText: '' }).message).toBe('listFiles failed: 404 Not Found — Moov has no account acct_1 (request id req1)');
  });

  it("Moov's own message wins when the body has one", () => {
    expect(httpError({ ...base, bodyText: '{"error":"account acct_1 not found"}' }).message).toBe(
      'listFiles failed: 404 Not Found — account acct_1 not found (request id req1)',
    );
  });
});

describe('MoovClient against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a bodiless 404 on a payment link names the account and the link', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: 'PATCH /accounts/:accountID/payment-links/:code', accountID, fault: { status: 404, body: '' }, times: 1 });
    const err = await moovError(h.client.updatePaymentLink(accountID, 'uc7ZYKrMhi', { display: { title: 'x' } }));
    expect(err.status).toBe(404);
    expect(err.message).toMatch(new RegExp(`^updatePaymentLink failed: 404 Not Found — Moov has no account ${accountID} or its payment link uc7ZYKrMhi \\(request id [0-9a-f]{32}\\)$`));
  });
});

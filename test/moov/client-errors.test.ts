import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { MoovClient } from '../../src/moov';
import type { MoovError } from '../../src/moov';
import { moovError, PUBLIC_KEY, SECRET_KEY, ACCESS_TOKEN, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});
beforeEach(async () => {
  await h.admin('DELETE', '/_sandbox/faults');
});

const LINKS = 'POST /accounts/:accountID/resolution-links';
const GET_ACCOUNT = 'GET /accounts/:accountID';

function expectNoSecrets(err: MoovError): void {
  const renderings = [err.message, JSON.stringify(err), inspect(err, { depth: 10 }), String(err.stack)];
  const basic = Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64');
  for (const text of renderings) {
    for (const secret of [SECRET_KEY, PUBLIC_KEY, ACCESS_TOKEN, basic]) expect(text).not.toContain(secret);
  }
}

/** The request id the sandbox logged for the most recent call on `accountID`. */
async function lastRequestId(accountID: string): Promise<string | undefined> {
  return (await h.requests({ accountID })).at(-1)?.requestId;
}

describe('HTTP status classification against the sandbox', () => {
  it('409: a second active resolution link is a conflict with Moov\'s message and the request id', async () => {
    const accountID = await h.merchant();
    await h.client.createResolutionLink(accountID, { recipient: { email: 'a@example.com' } });
    const err = await moovError(h.client.createResolutionLink(accountID, { recipient: { email: 'a@example.com' } }));
    const requestId = await lastRequestId(accountID);
    expect(err).toMatchObject({ kind: 'http', errorClass: 'conflict', status: 409, operation: 'createResolutionLink', requestId });
    expect(err.moovMessage).toMatch(/already has an active resolution link/);
    expect(err.message).toBe(`createResolutionLink failed: 409 Conflict — ${err.moovMessage} (request id ${requestId})`);
    expectNoSecrets(err);
  });

  it('409: sharing a connection twice is a conflict', async () => {
    const accountID = await h.merchant();
    const principal = await h.merchant();
    await h.client.shareConnection(accountID, { principalAccountID: principal });
    const err = await moovError(h.client.shareConnection(accountID, { principalAccountID: principal }));
    expect(err).toMatchObject({ errorClass: 'conflict', status: 409 });
    expect(err.moovMessage).toMatch(/already connected/);
  });

  it('400: a payment-link expiry in the past is permanent, with Moov\'s message', async () => {
    const accountID = await h.merchant();
    await h.admin('POST', `/_sandbox/accounts/${accountID}/payment-links`, { code: 'past01' });
    const err = await moovError(h.client.updatePaymentLink(accountID, 'past01', { expiresOn: '2001-01-01T00:00:00Z' }));
    expect(err).toMatchObject({ kind: 'http', errorClass: 'permanent', status: 400, moovMessage: 'expiresOn must be in the future', requestId: await lastRequestId(accountID) });
    expect(err.message).toContain('400 Bad Request — expiresOn must be in the future');
  });

  it('401: wrong credentials are permanent and the message names the variables, not the values', async () => {
    const client = h.clientWith({ auth: { kind: 'basic', publicKey: PUBLIC_KEY, secretKey: `${SECRET_KEY}-wrong` } });
    const accountID = await h.merchant();
    const err = await moovError(client.getAccount(accountID));
    expect(err).toMatchObject({ kind: 'http', errorClass: 'permanent', status: 401, requestId: await lastRequestId(accountID) });
    expect(err.message).toContain('check MOOV_PUBLIC_KEY/MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN');
    expect(err.message).not.toContain('-wrong');
    expectNoSecrets(err);
  });

  it('401: an unknown bearer token too', async () => {
    const client = h.clientWith({ auth: { kind: 'bearer', accessToken: 'not-a-token' } });
    const err = await moovError(client.listAccounts());
    expect(err).toMatchObject({ status: 401, errorClass: 'permanent' });
    expect(err.message).not.toContain('not-a-token');
  });

  it('403: permanent, and the message names the scope the call needs', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: 'POST /accounts/:accountID/files', accountID, fault: { status: 403 }, times: 1 });
    const filePath = await h.writeTemp('doc403.pdf', Buffer.from('%PDF-1.4 tiny'));
    const err = await moovError(h.client.uploadFile(accountID, { filePath, filePurpose: 'identity_verification' }));
    expect(err).toMatchObject({ status: 403, errorClass: 'permanent', requestId: await lastRequestId(accountID) });
    expect(err.message).toContain(`needs scope /accounts/${accountID}/files.write`);

    await h.addFault({ route: LINKS, accountID, fault: { status: 403, body: '' }, times: 1 });
    const linkErr = await moovError(h.client.createResolutionLink(accountID, { recipient: { email: 'x@example.com' } }));
    expect(linkErr.message).toContain(
      `/accounts/${accountID}/profile.write, /accounts/${accountID}/representatives.write, /accounts/${accountID}/files.write`,
    );

    await h.addFault({ route: 'PATCH /accounts/:accountID/payment-links/:code', accountID, fault: { status: 403 }, times: 1 });
    const plErr = await moovError(h.client.updatePaymentLink(accountID, 'any', { display: { title: 'x' } }));
    expect(plErr.message).toContain(`/accounts/${accountID}/transfers.write`);
  });

  it('404: an unknown account is permanent', async () => {
    const err = await moovError(h.client.getAccount('00000000-0000-4000-8000-000000000000'));
    expect(err).toMatchObject({ kind: 'http', status: 404, errorClass: 'permanent', requestId: await lastRequestId('00000000-0000-4000-8000-000000000000') });
    expect(err.message).toMatch(/^getAccount failed: 404 Not Found — account .* not found \(request id .+\)$/);
  });

  it('422: Moov\'s field map becomes fieldErrors (flat)', async () => {
    const accountID = await h.merchant();
    const err = await moovError(h.client.shareConnection(accountID, { principalAccountID: '11111111-1111-4111-8111-111111111111' }));
    expect(err).toMatchObject({ status: 422, errorClass: 'permanent', requestId: await lastRequestId(accountID) });
    expect(err.fieldErrors).toEqual({ principalAccountID: 'account 11111111-1111-4111-8111-111111111111 not found' });
    expect(err.message).toContain('principalAccountID: account 11111111-1111-4111-8111-111111111111 not found');
  });

  it('422: nested field maps ({allowScopes: {"0": ...}}) and {email, phone} survive intact', async () => {
    const accountID = await h.merchant();
    await h.addFault({
      route: 'POST /accounts/:accountID/connections',
      accountID,
      fault: { status: 422, body: { allowScopes: { '0': 'first element failed validation' } } },
      times: 1,
    });
    const err = await moovError(h.client.shareConnection(accountID, { principalAccountID: accountID, allowScopes: ['files.read'] }));
    expect(err.fieldErrors).toEqual({ allowScopes: { '0': 'first element failed validation' } });
    expect(err.message).toContain('allowScopes.0: first element failed validation');

    await h.addFault({ route: LINKS, accountID, fault: { status: 422, body: { email: 'email is not deliverable' } }, times: 1 });
    const linkErr = await moovError(h.client.createResolutionLink(accountID, { recipient: { email: 'x@example.com' } }));
    expect(linkErr).toMatchObject({ status: 422, errorClass: 'permanent', fieldErrors: { email: 'email is not deliverable' } });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('%d is retryable, carries the request id, and was one attempt', async (status) => {
    const accountID = await h.merchant();
    await h.clearRequests();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    const log = await h.requests({ accountID });
    expect(log).toHaveLength(1);
    expect(err).toMatchObject({ kind: 'http', status, errorClass: 'retryable', requestId: log[0]?.requestId, moovMessage: 'sandbox injected fault' });
    // The fault was one-shot: the next call succeeds, proving the client itself did not retry.
    await expect(h.client.getAccount(accountID)).resolves.toMatchObject({ status: 200 });
  });

  it('501 is permanent: Moov does not implement the call, so a retry cannot succeed', async () => {
    const accountID = await h.merchant();
    await h.clearRequests();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 501 }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    const log = await h.requests({ accountID });
    expect(log).toHaveLength(1);
    expect(err).toMatchObject({ kind: 'http', status: 501, errorClass: 'permanent', requestId: log[0]?.requestId });
    expect(err.message).toBe(`getAccount failed: 501 Not Implemented — sandbox injected fault; Moov does not implement this call, so it is not retried (request id ${log[0]?.requestId})`);
  });

  it('a non-JSON error body (proxy HTML) still yields a useful message', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 502, body: '<html><body>upstream connect error</body></html>', headers: { 'content-type': 'text/html' } }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    expect(err).toMatchObject({ status: 502, errorClass: 'retryable' });
    expect(err.moovMessage).toBeUndefined();
    expect(err.message).toContain('upstream connect error');
  });
});

describe('wait hints from 429 headers', () => {
  const now = 'Wed, 01 Jul 2026 12:00:00 GMT';
  it.each<[string, Record<string, string>, number]>([
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
    ['X-Retry-In (ms)', { 'x-retry-in': '750' }, 750],
    ['X-Retry-In (Go duration)', { 'x-retry-in': '1.5s' }, 1500],
    ['Retry-After (seconds)', { 'retry-after': '3' }, 3000],
    ['Retry-After (fractional seconds)', { 'retry-after': '0.5' }, 500],
    ['Retry-After (HTTP date vs Date header)', { 'retry-after': 'Wed, 01 Jul 2026 12:00:05 GMT', date: now }, 5000],
    ['all three: the most precise wins', { 'retry-after': '9', 'x-retry-in': '2s', 'retry-after-ms': '1200' }, 1200],
    ['garbage first falls through', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
  ])('%s', async (_label, headers, expected) => {
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 429, headers }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    expect(err).toMatchObject({ status: 429, errorClass: 'retryable', retryAfterMs: expected });
    expect(err.message).toContain(`retry in ${expected} ms`);
  });

  it('no usable hint leaves retryAfterMs undefined', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 429, headers: { 'retry-after': '-4' } }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    expect(err.retryAfterMs).toBeUndefined();
    expect(err).not.toHaveProperty('retryAfterMs');
  });

  it('the sandbox\'s real rate limiter: X-Retry-In on files, Retry-After elsewhere', async () => {
    const limited = await startHarness({ rateLimitRps: 1, rateLimitBurst: 1 });
    try {
      const accountID = await limited.merchant();
      await limited.client.listFiles(accountID);
      const filesErr = await moovError(limited.client.listFiles(accountID));
      expect(filesErr).toMatchObject({ status: 429, errorClass: 'retryable' });
      expect(filesErr.retryAfterMs).toBeGreaterThan(0);
      expect(filesErr.retryAfterMs).toBeLessThanOrEqual(1000);

      const other = await limited.merchant();
      await limited.client.getAccount(other);
      const accountErr = await moovError(limited.client.getAccount(other));
      expect(accountErr).toMatchObject({ status: 429, retryAfterMs: 1000 });
    } finally {
      await limited.stop();
    }
  });
});

describe('transport failures', () => {
  it('a response slower than headersTimeoutMs is a retryable timeout', async () => {
    const client = h.clientWith({ headersTimeoutMs: 150 });
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { latencyMs: 10_000 }, times: 1 });
    const err = await moovError(client.getAccount(accountID));
    expect(err).toMatchObject({ kind: 'timeout', errorClass: 'retryable', code: 'UND_ERR_HEADERS_TIMEOUT', operation: 'getAccount' });
    expect(err.message).toContain('timed out waiting for response headers');
    expectNoSecrets(err);
  });

  it('a connection reset mid-request is a retryable network error', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: LINKS, accountID, fault: { reset: true }, times: 1 });
    const err = await moovError(h.client.createResolutionLink(accountID, { recipient: { email: 'r@example.com' } }));
    expect(err).toMatchObject({ kind: 'network', errorClass: 'retryable', operation: 'createResolutionLink' });
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(err.code);
    expect(err.status).toBeUndefined();
    expectNoSecrets(err);
    // The pool recovers: the next call on the same client works.
    await expect(h.client.listResolutionLinks(accountID)).resolves.toMatchObject({ status: 200 });
  });

  it('a reset after the server applied the write is still just retryable (the caller reconciles)', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: LINKS, accountID, fault: { applyThenFail: 'reset' }, times: 1 });
    const err = await moovError(h.client.createResolutionLink(accountID, { recipient: { email: 'r@example.com' } }));
    expect(err).toMatchObject({ kind: 'network', errorClass: 'retryable' });
    const { data } = await h.client.listResolutionLinks(accountID);
    expect(data).toHaveLength(1);
  });

  it('a refused connection is a retryable network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as AddressInfo;
        server.close(() => resolve(p));
      });
    });
    const client = new MoovClient({ ...h.config, baseUrl: `http://127.0.0.1:${port}` });
    try {
      const err = await moovError(client.listAccounts());
      expect(err).toMatchObject({ kind: 'network', errorClass: 'retryable', code: 'ECONNREFUSED' });
      expectNoSecrets(err);
    } finally {
      await client.close();
    }
  });

  it('error bodies are drained: a single-connection client keeps working after many failures', async () => {
    const client = h.clientWith({ maxConnections: 1, headersTimeoutMs: 2000 });
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 500, body: { error: 'x'.repeat(64 * 1024) } }, times: 5 });
    for (let i = 0; i < 5; i += 1) await expect(client.getAccount(accountID)).rejects.toMatchObject({ status: 500 });
    await expect(client.getAccount(accountID)).resolves.toMatchObject({ status: 200 });
  });
});

describe('response validation', () => {
  it('tolerates unknown fields and unknown enum values', async () => {
    const accountID = await h.merchant();
    const { data: link } = await h.client.createResolutionLink(accountID, { recipient: { email: 'y@example.com' } });
    const body = { ...link, status: 'quarantined', brandNewField: { nested: true } };
    await h.addFault({ route: 'GET /accounts/:accountID/resolution-links/:code', accountID, fault: { status: 200, body }, times: 1 });
    const { data } = await h.client.getResolutionLink(accountID, link.code);
    expect(data.status).toBe('quarantined');
    expect((data as Record<string, unknown>).brandNewField).toEqual({ nested: true });
  });

  it('treats a null list as empty', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: 'GET /accounts/:accountID/files', accountID, fault: { status: 200, body: null }, times: 1 });
    await expect(h.client.listFiles(accountID)).resolves.toMatchObject({ data: [] });
  });

  it('a body missing required fields is a permanent invalid-response with the request id', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 200, body: { accountID, displayName: 7 } }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    expect(err).toMatchObject({ kind: 'invalid-response', errorClass: 'permanent', status: 200, requestId: await lastRequestId(accountID) });
    expect(err.message).toContain('displayName');
    expect(err.message).toContain(`(request id ${err.requestId})`);
  });

  it('a non-JSON success body is an invalid-response', async () => {
    const accountID = await h.merchant();
    await h.addFault({ route: GET_ACCOUNT, accountID, fault: { status: 200, body: 'OK', headers: { 'content-type': 'text/plain' } }, times: 1 });
    const err = await moovError(h.client.getAccount(accountID));
    expect(err).toMatchObject({ kind: 'invalid-response', errorClass: 'permanent' });
    expect(err.message).toContain('body is not JSON');
  });
});

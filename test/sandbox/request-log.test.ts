import { BASIC, SAMPLES, TestSandbox, uploadForm } from './helpers';

describe('sandbox: request log and reset', () => {
  let sb: TestSandbox;
  let merchant: string;

  beforeAll(async () => {
    sb = await TestSandbox.start({ accessTokens: ['secret-bearer-token-123'] });
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    await sb.reset();
    merchant = await sb.seedMerchant({ email: 'pii-owner@example.com' });
  });

  it('records every Moov call with route template, account, status, request id and auth kind', async () => {
    const created = await sb.api('POST', `/accounts/${merchant}/resolution-links`, {
      body: { recipient: { email: 'pii-owner@example.com' } },
      headers: { 'x-moov-version': 'v2026.04.00' },
    });
    await sb.api('GET', `/accounts/${merchant}`, { auth: 'Bearer secret-bearer-token-123' });
    await sb.api('GET', `/accounts/${merchant}`, { auth: null });
    await sb.api('GET', '/nowhere');

    const log = await sb.admin('GET', '/_sandbox/requests');
    expect(log).toEqual([
      {
        seq: 1,
        at: expect.any(String),
        method: 'POST',
        path: `/accounts/${merchant}/resolution-links`,
        route: 'POST /accounts/:accountID/resolution-links',
        accountID: merchant,
        status: 200,
        requestId: created.headers.get('x-request-id'),
        auth: 'basic',
        moovVersion: 'v2026.04.00',
      },
      expect.objectContaining({ seq: 2, route: 'GET /accounts/:accountID', status: 200, auth: 'bearer' }),
      expect.objectContaining({ seq: 3, route: 'GET /accounts/:accountID', status: 401, auth: 'none' }),
      expect.objectContaining({ seq: 4, route: null, accountID: null, status: 404 }),
    ]);
  });

  it('filters by route, accountID and method', async () => {
    const other = await sb.seedMerchant();
    await sb.api('GET', `/accounts/${merchant}`);
    await sb.api('GET', `/accounts/${other}`);
    await sb.api('GET', `/accounts/${merchant}/files`);
    const q = (s: string) => sb.admin('GET', `/_sandbox/requests?${s}`);
    expect(await q(`accountID=${merchant}`)).toHaveLength(2);
    expect(await q(`route=${encodeURIComponent('GET /accounts/:accountID')}`)).toHaveLength(2);
    expect(await q(`route=${encodeURIComponent('GET /accounts/:accountID')}&accountID=${other}`)).toHaveLength(1);
    expect(await q('method=post')).toHaveLength(0);
  });

  it('never records credentials, bodies, query strings or file bytes', async () => {
    const fileBytes = Buffer.concat([SAMPLES.pdf, Buffer.from('TOP-SECRET-FILE-CONTENT')]);
    await sb.api('POST', `/accounts/${merchant}/files`, {
      body: uploadForm({ name: 'id.pdf', bytes: fileBytes }, { filePurpose: 'identity_verification', metadata: '{"comment":"PII-COMMENT"}' }),
    });
    await sb.api('GET', `/accounts/${merchant}`, { auth: 'Bearer secret-bearer-token-123' });
    await sb.api('GET', `/accounts/${merchant}`, { auth: 'Bearer wrong-token-456' });
    await sb.api('GET', '/accounts?email=pii-owner%40example.com');
    await sb.api('POST', `/accounts/${merchant}/resolution-links`, { body: { recipient: { email: 'pii-owner@example.com' } } });

    const raw = (await sb.adminRaw('GET', '/_sandbox/requests')).text;
    expect(JSON.parse(raw)).toHaveLength(5);
    for (const secret of [
      'sandbox-secret-key',
      'sandbox-public-key',
      BASIC.slice('Basic '.length),
      'secret-bearer-token-123',
      'wrong-token-456',
      'TOP-SECRET-FILE-CONTENT',
      'PII-COMMENT',
      'pii-owner',
      'Basic',
      'Bearer ',
    ]) {
      expect(raw).not.toContain(secret);
    }
  });

  it('does not log admin calls, and DELETE clears the log', async () => {
    await sb.admin('GET', '/_sandbox/clock');
    await sb.api('GET', `/accounts/${merchant}`);
    expect(await sb.admin('GET', '/_sandbox/requests')).toHaveLength(1);
    expect((await sb.adminRaw('DELETE', '/_sandbox/requests')).status).toBe(204);
    expect(await sb.admin('GET', '/_sandbox/requests')).toEqual([]);
  });

  it('reset clears accounts, links, files, faults, the log and the clock offset', async () => {
    await sb.api('POST', `/accounts/${merchant}/resolution-links`, { body: { recipient: { email: 'a@example.com' } } });
    await sb.api('POST', `/accounts/${merchant}/files`, { body: uploadForm({ name: 'a.csv', bytes: SAMPLES.csv }) });
    await sb.admin('POST', '/_sandbox/faults', { route: 'GET /accounts/:accountID', fault: { status: 500 } });
    const advanced = await sb.admin('POST', '/_sandbox/clock', { advanceMs: 3_600_000 });
    expect(advanced.offsetMs).toBe(3_600_000);
    expect(Date.parse(advanced.now) - Date.now()).toBeGreaterThan(3_500_000);

    expect((await sb.adminRaw('POST', '/_sandbox/reset')).status).toBe(204);

    expect((await sb.adminRaw('GET', `/_sandbox/accounts/${merchant}/state`)).status).toBe(404);
    expect((await sb.api('GET', `/accounts/${merchant}`)).status).toBe(404);
    expect(await sb.admin('GET', '/_sandbox/faults')).toEqual([]);
    expect((await sb.admin('GET', '/_sandbox/clock')).offsetMs).toBe(0);
    const log = await sb.admin('GET', '/_sandbox/requests');
    expect(log).toHaveLength(1);
    expect(log[0].seq).toBe(1);
    expect((await sb.api('GET', '/accounts')).body).toEqual([]);
  });

  it('refuses moving the clock backwards', async () => {
    expect((await sb.adminRaw('POST', '/_sandbox/clock', { advanceMs: -1 })).status).toBe(422);
    expect((await sb.admin('GET', '/_sandbox/clock')).offsetMs).toBe(0);
  });
});

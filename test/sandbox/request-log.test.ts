import { BASIC, SAMPLES, useSandbox, uploadForm } from './support/helpers';

describe('sandbox: request log and reset', () => {
  const ctx = useSandbox({
    start: { accessTokens: ['secret-bearer-token-123'] },
    seedMerchant: { email: 'pii-owner@example.com' },
  });

  it('records every Moov call with route template, account, status, request id and auth kind', async () => {
    const created = await ctx.sb.api('POST', `/accounts/${ctx.merchant}/resolution-links`, {
      body: { recipient: { email: 'pii-owner@example.com' } },
      headers: { 'x-moov-version': 'v2026.04.00' },
    });
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`, { auth: 'Bearer secret-bearer-token-123' });
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`, { auth: null });
    await ctx.sb.api('GET', '/nowhere');

    const log = await ctx.sb.admin('GET', '/_sandbox/requests');
    expect(log).toEqual([
      {
        seq: 1,
        at: expect.any(String),
        method: 'POST',
        path: `/accounts/${ctx.merchant}/resolution-links`,
        route: 'POST /accounts/:accountID/resolution-links',
        accountID: ctx.merchant,
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
    const other = await ctx.sb.seedMerchant();
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    await ctx.sb.api('GET', `/accounts/${other}`);
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`);
    const q = (s: string) => ctx.sb.admin('GET', `/_sandbox/requests?${s}`);
    expect(await q(`accountID=${ctx.merchant}`)).toHaveLength(2);
    expect(await q(`route=${encodeURIComponent('GET /accounts/:accountID')}`)).toHaveLength(2);
    expect(await q(`route=${encodeURIComponent('GET /accounts/:accountID')}&accountID=${other}`)).toHaveLength(1);
    expect(await q('method=post')).toHaveLength(0);
  });

  it('never records credentials, bodies, query strings or file bytes', async () => {
    const fileBytes = Buffer.concat([SAMPLES.pdf, Buffer.from('TOP-SECRET-FILE-CONTENT')]);
    await ctx.sb.api('POST', `/accounts/${ctx.merchant}/files`, {
      body: uploadForm({ name: 'id.pdf', bytes: fileBytes }, { filePurpose: 'identity_verification', metadata: '{"comment":"PII-COMMENT"}' }),
    });
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`, { auth: 'Bearer secret-bearer-token-123' });
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`, { auth: 'Bearer wrong-token-456' });
    await ctx.sb.api('GET', '/accounts?email=pii-owner%40example.com');
    await ctx.sb.api('POST', `/accounts/${ctx.merchant}/resolution-links`, { body: { recipient: { email: 'pii-owner@example.com' } } });

    const raw = (await ctx.sb.adminRaw('GET', '/_sandbox/requests')).text;
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
    await ctx.sb.admin('GET', '/_sandbox/clock');
    await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    expect(await ctx.sb.admin('GET', '/_sandbox/requests')).toHaveLength(1);
    expect((await ctx.sb.adminRaw('DELETE', '/_sandbox/requests')).status).toBe(204);
    expect(await ctx.sb.admin('GET', '/_sandbox/requests')).toEqual([]);
  });

  it('reset clears accounts, links, files, faults, the log and the clock offset', async () => {
    await ctx.sb.api('POST', `/accounts/${ctx.merchant}/resolution-links`, { body: { recipient: { email: 'a@example.com' } } });
    await ctx.sb.api('POST', `/accounts/${ctx.merchant}/files`, { body: uploadForm({ name: 'a.csv', bytes: SAMPLES.csv }) });
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: 'GET /accounts/:accountID', fault: { status: 500 } });
    const advanced = await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 3_600_000 });
    expect(advanced.offsetMs).toBe(3_600_000);
    expect(Date.parse(advanced.now) - Date.now()).toBeGreaterThan(3_500_000);

    expect((await ctx.sb.adminRaw('POST', '/_sandbox/reset')).status).toBe(204);

    expect((await ctx.sb.adminRaw('GET', `/_sandbox/accounts/${ctx.merchant}/state`)).status).toBe(404);
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(404);
    expect(await ctx.sb.admin('GET', '/_sandbox/faults')).toEqual([]);
    expect((await ctx.sb.admin('GET', '/_sandbox/clock')).offsetMs).toBe(0);
    const log = await ctx.sb.admin('GET', '/_sandbox/requests');
    expect(log).toHaveLength(1);
    expect(log[0].seq).toBe(1);
    expect((await ctx.sb.api('GET', '/accounts')).body).toEqual([]);
  });

  it('refuses moving the clock backwards', async () => {
    expect((await ctx.sb.adminRaw('POST', '/_sandbox/clock', { advanceMs: -1 })).status).toBe(422);
    expect((await ctx.sb.admin('GET', '/_sandbox/clock')).offsetMs).toBe(0);
  });
});

import { useSandbox } from './support/helpers';

describe('sandbox: account connections', () => {
  const ctx = useSandbox({ seedMerchant: true });
  let principal: string;
  const path = () => `/accounts/${ctx.merchant}/connections`;

  beforeEach(async () => {
    principal = await ctx.sb.seedMerchant({ displayName: 'Principal Platform' });
  });

  it('answers 201 with an empty body, then 409 {error} for the same principal', async () => {
    const first = await ctx.sb.api('POST', path(), { body: { principalAccountID: principal, allowScopes: ['accounts.read', 'files.write'] } });
    expect(first.status).toBe(201);
    expect(first.text).toBe('');
    expect(first.headers.get('x-request-id')).toBeTruthy();

    const again = await ctx.sb.api('POST', path(), { body: { principalAccountID: principal } });
    expect(again.status).toBe(409);
    expect(typeof again.body.error).toBe('string');

    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.connections).toEqual([
      { principalAccountID: principal, allowScopes: ['accounts.read', 'files.write'], createdOn: expect.any(String) },
    ]);
  });

  it('shares all scopes when allowScopes is omitted', async () => {
    expect((await ctx.sb.api('POST', path(), { body: { principalAccountID: principal } })).status).toBe(201);
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.connections[0].allowScopes).toContain('transfers.write');
    expect(state.connections[0].allowScopes).toHaveLength(32);
  });

  it('answers 422 with allowScopes keyed by index for unknown scopes', async () => {
    const res = await ctx.sb.api('POST', path(), {
      body: { principalAccountID: principal, allowScopes: ['accounts.read', 'money.print', 'files.write', 'x'] },
    });
    expect(res.status).toBe(422);
    expect(res.body.principalAccountID).toBeUndefined();
    expect(Object.keys(res.body.allowScopes)).toEqual(['1', '3']);
    expect(res.body.allowScopes['1']).toMatch(/money\.print/);
  });

  it.each([
    ['missing', {}],
    ['empty', { principalAccountID: '' }],
    ['unknown', { principalAccountID: '00000000-0000-4000-8000-000000000000' }],
  ])('answers 422 {principalAccountID} when the principal is %s', async (_name, body) => {
    const res = await ctx.sb.api('POST', path(), { body });
    expect(res.status).toBe(422);
    expect(typeof res.body.principalAccountID).toBe('string');
    expect((await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`)).connections).toEqual([]);
  });

  it('answers 404 for an unknown sharing account and 400 for a non-object body', async () => {
    const res = await ctx.sb.api('POST', '/accounts/00000000-0000-4000-8000-000000000000/connections', {
      body: { principalAccountID: principal },
    });
    expect(res.status).toBe(404);
    expect((await ctx.sb.api('POST', path(), { body: ['x'] })).status).toBe(400);
  });

  it('lists the sharing account among the principal’s connected accounts', async () => {
    await ctx.sb.api('POST', path(), { body: { principalAccountID: principal } });
    const connected = await ctx.sb.api('GET', `/accounts/${principal}/connected-accounts`);
    expect(connected.body.map((a: { accountID: string }) => a.accountID)).toEqual([ctx.merchant]);
  });
});

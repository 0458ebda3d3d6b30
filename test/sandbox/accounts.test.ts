import { useSandbox } from './support/helpers';

describe('sandbox: accounts and capabilities', () => {
  const ctx = useSandbox();

  it('creates accounts through the admin API in Moov shape', async () => {
    const created = await ctx.sb.adminRaw('POST', '/_sandbox/accounts', {
      accountID: '11111111-2222-4333-8444-555555555555',
      accountType: 'individual',
      displayName: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: { number: '5555550100', countryCode: '1' },
      capabilities: [
        {
          capability: 'transfers',
          requirements: {
            currentlyDue: ['individual.ssn'],
            errors: [{ requirement: 'document.individual.verification', errorCode: 'document-expired' }],
          },
        },
      ],
    });
    expect(created.status).toBe(201);
    const account = (await ctx.sb.api('GET', '/accounts/11111111-2222-4333-8444-555555555555')).body;
    expect(account).toEqual(created.body);
    expect(account).toMatchObject({
      accountID: '11111111-2222-4333-8444-555555555555',
      mode: 'sandbox',
      accountType: 'individual',
      displayName: 'Ada Lovelace',
      profile: {
        individual: {
          name: { firstName: 'Ada', lastName: 'Lovelace' },
          email: 'ada@example.com',
          phone: { number: '5555550100', countryCode: '1' },
        },
      },
      capabilities: [{ capability: 'transfers', status: 'pending' }],
      verification: { status: 'errored' },
    });
    expect((await ctx.sb.adminRaw('POST', '/_sandbox/accounts', { accountID: account.accountID })).status).toBe(409);
    expect((await ctx.sb.adminRaw('POST', '/_sandbox/accounts', { accountType: 'guest' })).status).toBe(422);
  });

  it('serves capabilities with requirements and lets the admin API move them', async () => {
    const id = await ctx.sb.seedMerchant({
      capabilities: [
        { capability: 'collect-funds', status: 'pending', requirements: { currentlyDue: ['business.ein'] } },
        { capability: 'transfers', status: 'enabled' },
      ],
    });
    const caps = (await ctx.sb.api('GET', `/accounts/${id}/capabilities`)).body;
    expect(caps).toEqual([
      {
        capability: 'collect-funds',
        accountID: id,
        status: 'pending',
        requirements: { currentlyDue: ['business.ein'], errors: [] },
        createdOn: expect.any(String),
        updatedOn: expect.any(String),
      },
      expect.objectContaining({ capability: 'transfers', status: 'enabled', requirements: { currentlyDue: [], errors: [] } }),
    ]);

    const moved = await ctx.sb.admin('PATCH', `/_sandbox/accounts/${id}/capabilities/collect-funds`, {
      status: 'enabled',
      requirements: { currentlyDue: [], errors: [] },
    });
    expect(moved).toMatchObject({ capability: 'collect-funds', status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
    expect((await ctx.sb.api('GET', `/accounts/${id}/capabilities/collect-funds`)).body.status).toBe('enabled');
    expect((await ctx.sb.api('GET', `/accounts/${id}`)).body.verification.status).toBe('verified');

    const disabled = await ctx.sb.admin('PATCH', `/_sandbox/accounts/${id}/capabilities/transfers`, {
      status: 'disabled',
      disabledReason: 'risk',
    });
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'risk', disabledOn: expect.any(String) });
    expect((await ctx.sb.api('GET', `/accounts/${id}/capabilities/wallet`)).status).toBe(404);
    expect((await ctx.sb.api('GET', '/accounts/00000000-0000-4000-8000-000000000000/capabilities')).status).toBe(404);
  });

  it('lists connected accounts with capability filters, skip and count', async () => {
    const a = await ctx.sb.seedMerchant({ displayName: 'Alpha', capabilities: [{ capability: 'transfers', status: 'enabled' }] });
    const b = await ctx.sb.seedMerchant({ displayName: 'Beta', capabilities: [{ capability: 'transfers', status: 'pending' }] });
    const c = await ctx.sb.seedMerchant({ displayName: 'Gamma', capabilities: [{ capability: 'wallet', status: 'pending' }] });
    const ids = async (query: string) =>
      (await ctx.sb.api('GET', `/accounts${query}`)).body.map((x: { accountID: string }) => x.accountID);

    expect(await ids('')).toEqual([a, b, c]);
    expect(await ids('?capability=transfers')).toEqual([a, b]);
    expect(await ids('?capability=transfers&capabilityStatus=pending')).toEqual([b]);
    expect(await ids('?capabilityStatus=pending')).toEqual([b, c]);
    expect(await ids('?skip=1&count=1')).toEqual([b]);
    expect(await ids('?name=gam')).toEqual([c]);
    expect((await ctx.sb.api('GET', '/accounts?count=abc')).status).toBe(400);
    // The partner's own account is never listed, but it can be read.
    expect((await ctx.sb.api('GET', '/accounts/0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d')).status).toBe(200);
    expect(await ids('')).not.toContain('0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d');
    expect(
      (await ctx.sb.api('GET', '/accounts/0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d/connected-accounts')).body,
    ).toHaveLength(3);
  });

  it('returns the full state snapshot for assertions', async () => {
    const id = await ctx.sb.seedMerchant();
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${id}/state`);
    expect(Object.keys(state).sort()).toEqual(['account', 'capabilities', 'connections', 'files', 'paymentLinks', 'representatives', 'resolutionLinks']);
    expect(state.account.accountID).toBe(id);
  });
});

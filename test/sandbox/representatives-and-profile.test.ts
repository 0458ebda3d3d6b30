import { useSandbox } from './support/helpers';

describe('sandbox: the merchant edits its profile and representatives (admin)', () => {
  const ctx = useSandbox({ seedMerchant: { email: 'owner@example.com', phone: { number: '5555550100', countryCode: '1' } } });

  it('PATCH /_sandbox/accounts/:id changes the profile the Moov API answers with', async () => {
    const res = await ctx.sb.adminRaw('PATCH', `/_sandbox/accounts/${ctx.merchant}`, {
      displayName: 'Renamed Studio LLC',
      email: 'new-owner@example.com',
      foreignID: 'crm-1',
    });
    expect(res.status).toBe(200);
    const account = (await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).body;
    expect(account).toEqual(res.body);
    expect(account).toMatchObject({
      displayName: 'Renamed Studio LLC',
      foreignID: 'crm-1',
      profile: { business: { legalBusinessName: 'Renamed Studio LLC', email: 'new-owner@example.com', phone: { number: '5555550100', countryCode: '1' } } },
    });
    expect(Date.parse(account.updatedOn)).toBeGreaterThanOrEqual(Date.parse(account.createdOn));
  });

  it('refuses an invalid profile edit with 422 and an unknown account with 404', async () => {
    expect((await ctx.sb.adminRaw('PATCH', `/_sandbox/accounts/${ctx.merchant}`, { email: 'not-an-email' })).status).toBe(422);
    expect((await ctx.sb.adminRaw('PATCH', `/_sandbox/accounts/${ctx.merchant}`, { accountType: 'individual' })).status).toBe(422);
    expect((await ctx.sb.adminRaw('PATCH', '/_sandbox/accounts/00000000-0000-4000-8000-000000000000', { email: 'a@b.co' })).status).toBe(404);
  });

  it('adds, updates and deletes a representative; a deleted one is disabled and gone for edits', async () => {
    const path = `/_sandbox/accounts/${ctx.merchant}/representatives`;
    const added = await ctx.sb.adminRaw('POST', path, {
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      responsibilities: { isOwner: true, ownershipPercentage: 60 },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      representativeID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: { firstName: 'Ada', lastName: 'Lovelace' },
      responsibilities: { isOwner: true, ownershipPercentage: 60 },
      createdOn: expect.any(String),
      updatedOn: expect.any(String),
    });
    const id = added.body.representativeID as string;

    const updated = await ctx.sb.admin('PATCH', `${path}/${id}`, { email: 'ada@example.com', responsibilities: { isController: true } });
    // responsibilities is replaced as a whole, as the field given.
    expect(updated).toMatchObject({ email: 'ada@example.com', responsibilities: { isController: true } });
    expect(updated.responsibilities).not.toHaveProperty('isOwner');

    expect((await ctx.sb.adminRaw('DELETE', `${path}/${id}`)).status).toBe(204);
    expect((await ctx.sb.adminRaw('DELETE', `${path}/${id}`)).status).toBe(404);
    expect((await ctx.sb.adminRaw('PATCH', `${path}/${id}`, { email: 'x@example.com' })).status).toBe(404);
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.representatives).toEqual([expect.objectContaining({ representativeID: id, disabledOn: expect.any(String) })]);
  });

  it('allows at most 7 listed representatives, as Moov does', async () => {
    const path = `/_sandbox/accounts/${ctx.merchant}/representatives`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await ctx.sb.admin('POST', path, { name: { firstName: `Rep${i}`, lastName: 'Test' } })).representativeID);
    expect((await ctx.sb.adminRaw('POST', path, { name: { firstName: 'Eighth', lastName: 'Test' } })).status).toBe(422);
    await ctx.sb.admin('DELETE', `${path}/${ids[0]}`);
    expect((await ctx.sb.adminRaw('POST', path, { name: { firstName: 'Eighth', lastName: 'Test' } })).status).toBe(201);
  });

  it('refuses a representative without a full name', async () => {
    const res = await ctx.sb.adminRaw('POST', `/_sandbox/accounts/${ctx.merchant}/representatives`, { name: { firstName: 'Ada' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toContain('name.lastName');
  });
});

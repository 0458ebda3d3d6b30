import { APIError } from '@moovio/sdk/models/errors';
import { sdkError, useSdkSandbox } from './helpers';

describe('conformance (@moovio/sdk): accounts and capabilities', () => {
  const ctx = useSdkSandbox();

  it('get parses business and individual accounts with profile email and phone', async () => {
    const business = await ctx.sb.seedMerchant({
      accountType: 'business',
      displayName: 'Whole Body Fit LLC',
      email: 'owner@wholebody.example',
      phone: { number: '5555550100', countryCode: '1' },
    });
    const individual = await ctx.sb.seedMerchant({ accountType: 'individual', displayName: 'Ada Lovelace', email: 'ada@example.com' });

    const b = (await ctx.moov.accounts.get({ accountID: business })).result;
    expect(b.accountType).toBe('business');
    expect(b.profile.business).toMatchObject({
      legalBusinessName: 'Whole Body Fit LLC',
      email: 'owner@wholebody.example',
      phone: { number: '5555550100', countryCode: '1' },
    });
    expect(b.createdOn).toBeInstanceOf(Date);

    const i = (await ctx.moov.accounts.get({ accountID: individual })).result;
    expect(i.profile.individual).toMatchObject({ name: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'ada@example.com' });
  });

  it('list applies capability filters, skip and count', async () => {
    const a = await ctx.sb.seedMerchant({
      capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { currentlyDue: ['business.ein'] } }],
    });
    const b = await ctx.sb.seedMerchant({ capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
    const all = await ctx.moov.accounts.list({});
    expect(all.result.map((x) => x.accountID)).toEqual([a, b]);
    const pending = await ctx.moov.accounts.list({ capability: 'collect-funds', capabilityStatus: 'pending' });
    expect(pending.result.map((x) => x.accountID)).toEqual([a]);
    expect((await ctx.moov.accounts.list({ skip: 1, count: 5 })).result.map((x) => x.accountID)).toEqual([b]);
  });

  it('capabilities list/get parse with requirements.currentlyDue and errors', async () => {
    const id = await ctx.sb.seedMerchant({
      capabilities: [
        {
          capability: 'collect-funds',
          status: 'pending',
          requirements: {
            currentlyDue: ['document.business.verification'],
            errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
          },
        },
      ],
    });
    const list = (await ctx.moov.capabilities.list({ accountID: id })).result;
    expect(list).toHaveLength(1);
    expect(list[0]?.requirements).toEqual({
      currentlyDue: ['document.business.verification'],
      errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
    });
    const got = (await ctx.moov.capabilities.get({ accountID: id, capabilityID: 'collect-funds' })).result;
    expect(got.status).toBe('pending');
    expect(got.updatedOn).toBeInstanceOf(Date);
    await sdkError(ctx.moov.capabilities.get({ accountID: id, capabilityID: 'wallet' }), APIError, 404);
  });

  it('maps unknown accounts to APIError 404', async () => {
    await sdkError(ctx.moov.accounts.get({ accountID: '00000000-0000-4000-8000-000000000000' }), APIError, 404);
  });
});

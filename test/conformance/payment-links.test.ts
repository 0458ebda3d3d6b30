import { APIError, GenericError } from '@moovio/sdk/models/errors';
import { sdkError, useSdkSandbox } from './helpers';

describe('conformance (@moovio/sdk): payment links', () => {
  const ctx = useSdkSandbox({ seedMerchant: true });
  let paymentLinkCode: string;

  beforeEach(async () => {
    paymentLinkCode = (await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, {})).code;
  });

  it('get parses as the SDK PaymentLink', async () => {
    const { result } = await ctx.moov.paymentLinks.get({ accountID: ctx.merchant, paymentLinkCode });
    expect(result).toMatchObject({ code: paymentLinkCode, paymentLinkType: 'payment', status: 'active', merchantAccountID: ctx.merchant });
    expect(result.createdOn).toBeInstanceOf(Date);
    expect(result.amount).toEqual({ currency: 'USD', value: 1000 });
  });

  it('update sends the seed-001 example and gets the updated link back', async () => {
    const before = (await ctx.moov.paymentLinks.get({ accountID: ctx.merchant, paymentLinkCode })).result;
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 1000 });
    const expiresOn = new Date(Date.now() + 7 * 86_400_000);
    const { result } = await ctx.moov.paymentLinks.update({
      accountID: ctx.merchant,
      paymentLinkCode,
      updatePaymentLink: {
        amount: { currency: 'USD', value: 4928 },
        expiresOn,
        display: { callToAction: 'book', title: 'Yoga Class' },
        customer: { requirePhone: true, metadata: { optional: 'metadata' } },
        payment: {
          allowedMethods: ['card-payment', 'apple-pay', 'ach-debit-collect'],
          achDetails: { companyEntryDescription: 'Yoga Class', originatingCompanyName: 'Whole Body Fit' },
        },
      },
    });
    expect(result.amount).toEqual({ currency: 'USD', value: 4928 });
    expect(result.expiresOn?.getTime()).toBe(new Date(expiresOn.toISOString()).getTime());
    expect(result.display).toEqual({ ...before.display, callToAction: 'book', title: 'Yoga Class' });
    expect(result.customer).toMatchObject({ requirePhone: true, metadata: { optional: 'metadata' } });
    expect(result.payment?.achDetails?.originatingCompanyName).toBe('Whole Body Fit');
    expect(result.updatedOn.getTime()).toBeGreaterThan(before.updatedOn.getTime());
  });

  it('maps an invalid update (400 {error}) to GenericError', async () => {
    const err = await sdkError(
      ctx.moov.paymentLinks.update({
        accountID: ctx.merchant,
        paymentLinkCode,
        updatePaymentLink: { payment: { allowedMethods: ['card-payment'], cardDetails: { dynamicDescriptor: 'abc' } } },
      }),
      GenericError,
      400,
    );
    expect(err.error).toMatch(/dynamicDescriptor/);
  });

  it('maps unknown codes to APIError 404', async () => {
    await sdkError(ctx.moov.paymentLinks.get({ accountID: ctx.merchant, paymentLinkCode: 'missing' }), APIError, 404);
    await sdkError(ctx.moov.paymentLinks.update({ accountID: ctx.merchant, paymentLinkCode: 'missing', updatePaymentLink: {} }), APIError, 404);
  });

  it('parses a payout link', async () => {
    const code = (await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, { paymentLinkType: 'payout' })).code;
    const { result } = await ctx.moov.paymentLinks.update({
      accountID: ctx.merchant,
      paymentLinkCode: code,
      updatePaymentLink: { payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } } },
    });
    expect(result.paymentLinkType).toBe('payout');
    expect(result.payout).toMatchObject({ allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } });
  });
});

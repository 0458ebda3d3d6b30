import { useSandbox } from './support/helpers';

describe('sandbox: payment links', () => {
  const ctx = useSandbox({ seedMerchant: true });
  let code: string;
  const path = () => `/accounts/${ctx.merchant}/payment-links/${code}`;

  beforeEach(async () => {
    code = (await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, {})).code;
  });

  it('seeds a complete payment link and serves it', async () => {
    const res = await ctx.sb.api('GET', path());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code,
      paymentLinkType: 'payment',
      mode: 'sandbox',
      status: 'active',
      merchantAccountID: ctx.merchant,
      ownerAccountID: ctx.merchant,
      partnerAccountID: '0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d',
      amount: { currency: 'USD', value: 1000 },
      uses: 0,
      display: { title: expect.any(String), description: expect.any(String), callToAction: 'pay' },
      customer: expect.any(Object),
      payment: { allowedMethods: ['card-payment', 'ach-debit-collect'] },
    });
    expect(res.body.link).toMatch(/^https:\/\//);
  });

  it('applies a partial update, keeps untouched fields and bumps updatedOn', async () => {
    const before = (await ctx.sb.api('GET', path())).body;
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    const res = await ctx.sb.api('PATCH', path(), {
      body: {
        amount: { value: 4928 },
        display: { title: 'Yoga Class' },
        payment: {
          allowedMethods: ['card-payment', 'apple-pay', 'ach-debit-collect'],
          achDetails: { companyEntryDescription: 'Yoga Class', originatingCompanyName: 'Whole Body Fit' },
          cardDetails: { dynamicDescriptor: 'WhlBdy *Yoga' },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.amount).toEqual({ currency: 'USD', value: 4928 });
    expect(res.body.display).toEqual({ ...before.display, title: 'Yoga Class' });
    expect(res.body.payment.achDetails).toEqual({ companyEntryDescription: 'Yoga Class', originatingCompanyName: 'Whole Body Fit' });
    expect(res.body.payment.cardDetails).toEqual({ dynamicDescriptor: 'WhlBdy *Yoga' });
    expect(Date.parse(res.body.updatedOn) - Date.parse(before.updatedOn)).toBeGreaterThanOrEqual(60_000);
    expect(res.body.createdOn).toBe(before.createdOn);
    expect((await ctx.sb.api('GET', path())).body).toEqual(res.body);
  });

  it('sets and clears expiresOn, and reads expired once the clock passes it', async () => {
    const expiresOn = new Date(Date.now() + 86_400_000).toISOString();
    const set = await ctx.sb.api('PATCH', path(), { body: { expiresOn } });
    expect(set.body.expiresOn).toBe(expiresOn);
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 86_400_000 + 1000 });
    expect((await ctx.sb.api('GET', path())).body.status).toBe('expired');
    const cleared = await ctx.sb.api('PATCH', path(), { body: { expiresOn: null } });
    expect(cleared.body.expiresOn).toBeUndefined();
    expect(cleared.body.status).toBe('active');
  });

  it.each([
    ['a 4-letter currency', { amount: { currency: 'USDX' } }],
    ['a fractional value', { amount: { value: 12.5 } }],
    ['an unknown callToAction', { display: { callToAction: 'buy-now' } }],
    ['payment without allowedMethods', { payment: { achDetails: { companyEntryDescription: 'Yoga' } } }],
    ['a companyEntryDescription over 10', { payment: { allowedMethods: ['ach-debit-collect'], achDetails: { companyEntryDescription: 'Yoga Classes!' } } }],
    ['an originatingCompanyName under 4', { payment: { allowedMethods: ['ach-debit-collect'], achDetails: { originatingCompanyName: 'WBF' } } }],
    ['a dynamicDescriptor over 22', { payment: { allowedMethods: ['card-payment'], cardDetails: { dynamicDescriptor: 'x'.repeat(23) } } }],
    ['an unknown payment method', { payment: { allowedMethods: ['cash'] } }],
    ['an expiresOn over 24 characters', { expiresOn: '2030-01-01T00:00:00.000000Z' }],
    ['an expiresOn in the past', { expiresOn: '2001-01-01T00:00:00Z' }],
    ['payout options on a payment link', { payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'a@example.com' } } }],
  ])('answers 400 {error} for %s and leaves the link untouched', async (_name, body) => {
    const before = (await ctx.sb.api('GET', path())).body;
    const res = await ctx.sb.api('PATCH', path(), { body });
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
    expect((await ctx.sb.api('GET', path())).body).toEqual(before);
  });

  it('updates payout options on a payout link', async () => {
    code = (await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, { paymentLinkType: 'payout' })).code;
    const res = await ctx.sb.api('PATCH', path(), {
      body: { payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.payout).toEqual({ allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } });
    const bad = await ctx.sb.api('PATCH', path(), { body: { payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'nope' } } } });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for unknown codes and accounts', async () => {
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}/payment-links/missing`)).status).toBe(404);
    expect((await ctx.sb.api('PATCH', `/accounts/${ctx.merchant}/payment-links/missing`, { body: {} })).status).toBe(404);
    expect((await ctx.sb.api('GET', `/accounts/00000000-0000-4000-8000-000000000000/payment-links/${code}`)).status).toBe(404);
  });

  it('lets the admin API seed overrides and change status', async () => {
    const seeded = await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, {
      code: 'fixedCode1',
      amount: { value: 2500 },
      display: { title: 'Seeded' },
    });
    expect(seeded).toMatchObject({ code: 'fixedCode1', amount: { currency: 'USD', value: 2500 }, display: { title: 'Seeded' } });
    expect((await ctx.sb.adminRaw('POST', `/_sandbox/accounts/${ctx.merchant}/payment-links`, { code: 'fixedCode1' })).status).toBe(409);
    const disabled = await ctx.sb.admin('PATCH', `/_sandbox/accounts/${ctx.merchant}/payment-links/fixedCode1`, { status: 'disabled' });
    expect(disabled.status).toBe('disabled');
    expect(disabled.disabledOn).toEqual(expect.any(String));
  });
});

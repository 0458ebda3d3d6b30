import { APIError, CreateResolutionLinkError, GenericError } from '@moovio/sdk/models/errors';
import { SDK_MOOV_VERSION, sdkError, useSdkSandbox } from './helpers';

describe('conformance (@moovio/sdk): resolution links', () => {
  const ctx = useSdkSandbox({ seedMerchant: true });

  it('create → list → get → disable parse as the SDK models', async () => {
    const created = await ctx.moov.resolutionLinks.create({
      accountID: ctx.merchant,
      createResolutionLink: { recipient: { phone: { number: '5555555555', countryCode: '1' } } },
    });
    const link = created.result;
    expect(link.status).toBe('active');
    expect(link.recipient).toBe('15555555555');
    expect(link.createdOn).toBeInstanceOf(Date);
    expect(link.expiresOn.getTime() - link.createdOn.getTime()).toBe(30 * 86_400_000);
    expect(created.headers['x-request-id']?.[0]).toMatch(/^[0-9a-f]{32}$/);

    const listed = await ctx.moov.resolutionLinks.list({ accountID: ctx.merchant });
    expect(listed.result.map((l) => l.code)).toEqual([link.code]);
    const got = await ctx.moov.resolutionLinks.get({ accountID: ctx.merchant, resolutionLinkCode: link.code });
    expect(got.result).toEqual(link);

    const disabled = await ctx.moov.resolutionLinks.disable({ accountID: ctx.merchant, resolutionLinkCode: link.code });
    expect(disabled?.headers['x-request-id']).toBeDefined();
    const after = await ctx.moov.resolutionLinks.get({ accountID: ctx.merchant, resolutionLinkCode: link.code });
    expect(after.result.status).toBe('disabled');
    expect(after.result.disabledOn).toBeInstanceOf(Date);
  });

  it('accepts the X-Moov-Version the SDK sends', async () => {
    await ctx.moov.resolutionLinks.list({ accountID: ctx.merchant });
    const [entry] = await ctx.sb.admin('GET', '/_sandbox/requests');
    expect(entry.moovVersion).toBe(SDK_MOOV_VERSION);
    expect(entry.status).toBe(200);
  });

  it('maps 409 (one active link) to GenericError with the message', async () => {
    await ctx.moov.resolutionLinks.create({ accountID: ctx.merchant, createResolutionLink: { recipient: { email: 'a@example.com' } } });
    const err = await sdkError(
      ctx.moov.resolutionLinks.create({ accountID: ctx.merchant, createResolutionLink: { recipient: { email: 'b@example.com' } } }),
      GenericError,
      409,
    );
    expect(err.error).toMatch(/active resolution link/);
    expect(err.headers.get('x-request-id')).toBeTruthy();
  });

  it('maps 422 to CreateResolutionLinkError with email/phone messages', async () => {
    const both = await sdkError(
      ctx.moov.resolutionLinks.create({
        accountID: ctx.merchant,
        createResolutionLink: { recipient: { email: 'a@example.com', phone: { number: '5555555555', countryCode: '1' } } },
      }),
      CreateResolutionLinkError,
      422,
    );
    expect(both.email).toEqual(expect.any(String));
    expect(both.phone).toEqual(expect.any(String));
    const badEmail = await sdkError(
      ctx.moov.resolutionLinks.create({ accountID: ctx.merchant, createResolutionLink: { recipient: { email: 'nope' } } }),
      CreateResolutionLinkError,
      422,
    );
    expect(badEmail.email).toEqual(expect.any(String));
    expect(badEmail.phone).toBeUndefined();
  });

  it('maps 404 for unknown accounts and codes to APIError', async () => {
    await sdkError(ctx.moov.resolutionLinks.get({ accountID: ctx.merchant, resolutionLinkCode: 'missing123' }), APIError, 404);
    await sdkError(ctx.moov.resolutionLinks.disable({ accountID: ctx.merchant, resolutionLinkCode: 'missing123' }), APIError, 404);
    await sdkError(
      ctx.moov.resolutionLinks.create({
        accountID: '00000000-0000-4000-8000-000000000000',
        createResolutionLink: { recipient: { email: 'a@example.com' } },
      }),
      APIError,
      404,
    );
  });

  it('reports an expired link through the SDK after the sandbox clock moves', async () => {
    const { result: link } = await ctx.moov.resolutionLinks.create({
      accountID: ctx.merchant,
      createResolutionLink: { recipient: { email: 'a@example.com' } },
    });
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 30 * 86_400_000 });
    expect((await ctx.moov.resolutionLinks.get({ accountID: ctx.merchant, resolutionLinkCode: link.code })).result.status).toBe('expired');
    const second = await ctx.moov.resolutionLinks.create({ accountID: ctx.merchant, createResolutionLink: { recipient: { email: 'a@example.com' } } });
    expect(second.result.status).toBe('active');
  });
});

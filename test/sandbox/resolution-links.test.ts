import { useSandbox } from './support/helpers';

const DAY = 24 * 60 * 60 * 1000;
const phoneBody = { recipient: { phone: { number: '5555555555', countryCode: '1' } } };

describe('sandbox: resolution links', () => {
  const ctx = useSandbox({ seedMerchant: true });
  const path = () => `/accounts/${ctx.merchant}/resolution-links`;

  it('creates a link in Moov shape with a 30-day expiry', async () => {
    const res = await ctx.sb.api('POST', path(), { body: phoneBody, headers: { 'x-moov-version': 'v2026.04.00' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const link = res.body;
    expect(link).toMatchObject({
      accountID: ctx.merchant,
      partnerAccountID: '0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d',
      recipient: '15555555555',
      status: 'active',
    });
    expect(link.code).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(link.url).toBe(`${ctx.sb.url}/r/${link.code}`);
    expect(Date.parse(link.expiresOn) - Date.parse(link.createdOn)).toBe(30 * DAY);
    expect(link.updatedOn).toBe(link.createdOn);
    expect(link.disabledOn).toBeUndefined();

    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('active');
  });

  it('seeds another partner\'s link, and a link Moov answers for without status', async () => {
    const seeded = await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, {
      recipient: 'owner@example.com',
      partnerAccountID: 'another-partner',
      statusOmitted: true,
    });
    expect(seeded).toMatchObject({ partnerAccountID: 'another-partner', status: 'active' });
    const got = await ctx.sb.api('GET', `${path()}/${seeded.code}`);
    expect(got.body).toMatchObject({ code: seeded.code, partnerAccountID: 'another-partner' });
    expect(got.body).not.toHaveProperty('status');
    expect(got.body).not.toHaveProperty('statusOmitted');
    const listed = await ctx.sb.api('GET', path());
    expect(listed.body[0]).not.toHaveProperty('status');
    // Still active by Moov's rules: a create meets 409.
    expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(409);
  });

  it('answers 409 {error} while another link is active, with or without X-Moov-Version', async () => {
    expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(200);
    const second = await ctx.sb.api('POST', path(), { body: { recipient: { email: 'owner@example.com' } } });
    expect(second.status).toBe(409);
    expect(typeof second.body.error).toBe('string');
    expect(second.headers.get('x-request-id')).toBeTruthy();
    const list = await ctx.sb.api('GET', path());
    expect(list.body).toHaveLength(1);
  });

  it('reads an active link as expired once the sandbox clock passes expiresOn, then allows a new one', async () => {
    const first = (await ctx.sb.api('POST', path(), { body: phoneBody })).body;
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 30 * DAY - 1000 });
    expect((await ctx.sb.api('GET', `${path()}/${first.code}`)).body.status).toBe('active');
    expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(409);

    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 1000 });
    expect((await ctx.sb.api('GET', `${path()}/${first.code}`)).body.status).toBe('expired');
    const second = await ctx.sb.api('POST', path(), { body: { recipient: { email: 'owner@example.com' } } });
    expect(second.status).toBe(200);
    expect(second.body.recipient).toBe('owner@example.com');
    const statuses = (await ctx.sb.api('GET', path())).body.map((l: { status: string }) => l.status);
    expect(statuses).toEqual(['expired', 'active']);
  });

  it('disables with 204, records disabledOn, and frees the account for a new link', async () => {
    const link = (await ctx.sb.api('POST', path(), { body: phoneBody })).body;
    const del = await ctx.sb.api('DELETE', `${path()}/${link.code}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect(del.headers.get('content-length')).toBeNull();
    expect(del.headers.get('x-request-id')).toBeTruthy();
    const after = (await ctx.sb.api('GET', `${path()}/${link.code}`)).body;
    expect(after.status).toBe('disabled');
    expect(Date.parse(after.disabledOn)).toBeGreaterThanOrEqual(Date.parse(link.createdOn));
    // Disabling again is idempotent and keeps the first timestamp.
    expect((await ctx.sb.api('DELETE', `${path()}/${link.code}`)).status).toBe(204);
    expect((await ctx.sb.api('GET', `${path()}/${link.code}`)).body.disabledOn).toBe(after.disabledOn);
    expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(200);
  });

  it.each([
    ['both email and phone', { recipient: { email: 'a@example.com', phone: { number: '5555555555', countryCode: '1' } } }, ['email', 'phone']],
    ['neither', { recipient: {} }, ['email', 'phone']],
    ['no recipient', {}, ['email', 'phone']],
    ['a bad email', { recipient: { email: 'not-an-email' } }, ['email']],
    ['a number over 10 chars', { recipient: { phone: { number: '55555555555', countryCode: '1' } } }, ['phone']],
    ['a country code over 1 char', { recipient: { phone: { number: '5555555555', countryCode: '44' } } }, ['phone']],
  ])('answers 422 {email?, phone?} for %s', async (_name, body, keys) => {
    const res = await ctx.sb.api('POST', path(), { body });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body).sort()).toEqual(keys);
    for (const key of keys) expect(typeof res.body[key]).toBe('string');
    expect((await ctx.sb.api('GET', path())).body).toEqual([]);
  });

  it('answers 400 for unparseable JSON and 404 for unknown accounts and codes', async () => {
    const bad = await ctx.sb.api('POST', path(), { body: '{"recipient":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(typeof bad.body.error).toBe('string');
    expect((await ctx.sb.api('POST', '/accounts/00000000-0000-4000-8000-000000000000/resolution-links', { body: phoneBody })).status).toBe(404);
    expect((await ctx.sb.api('GET', `${path()}/nope123456`)).status).toBe(404);
    expect((await ctx.sb.api('DELETE', `${path()}/nope123456`)).status).toBe(404);
  });

  it('refuses a malformed X-Moov-Version but accepts a well-formed one', async () => {
    const bad = await ctx.sb.api('GET', path(), { headers: { 'x-moov-version': '2026-04' } });
    expect(bad.status).toBe(400);
    expect((await ctx.sb.api('GET', path(), { headers: { 'x-moov-version': 'v2024.01.00' } })).status).toBe(200);
  });

  describe('admin seeding', () => {
    it('seeds a link created elsewhere, honouring the one-active rule', async () => {
      const seeded = await ctx.sb.adminRaw('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, {
        recipient: 'someone@example.com',
      });
      expect(seeded.status).toBe(201);
      expect(seeded.body.status).toBe('active');
      expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(409);
      const again = await ctx.sb.adminRaw('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, {});
      expect(again.status).toBe(409);
      // A non-active link can always be seeded.
      const old = await ctx.sb.adminRaw('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, { status: 'completed' });
      expect(old.status).toBe(201);
    });

    it('seeds with explicit dates and moves status by PATCH', async () => {
      const createdOn = new Date(Date.now() - 10 * DAY).toISOString();
      const expiresOn = new Date(Date.now() + 2 * DAY).toISOString();
      const link = await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, { createdOn, expiresOn });
      expect(link.createdOn).toBe(createdOn);
      expect(link.expiresOn).toBe(expiresOn);

      const submitted = await ctx.sb.admin('PATCH', `/_sandbox/accounts/${ctx.merchant}/resolution-links/${link.code}`, { status: 'submitted' });
      expect(submitted.status).toBe('submitted');
      expect((await ctx.sb.api('POST', path(), { body: phoneBody })).status).toBe(200);
      // Re-activating while another link is active would break the invariant.
      const reactivate = await ctx.sb.adminRaw('PATCH', `/_sandbox/accounts/${ctx.merchant}/resolution-links/${link.code}`, {
        status: 'active',
      });
      expect(reactivate.status).toBe(409);
    });

    it('expires a seeded link at its own expiresOn', async () => {
      const link = await ctx.sb.admin('POST', `/_sandbox/accounts/${ctx.merchant}/resolution-links`, {
        expiresOn: new Date(Date.now() + 2 * DAY).toISOString(),
      });
      await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 2 * DAY + 1000 });
      expect((await ctx.sb.api('GET', `${path()}/${link.code}`)).body.status).toBe('expired');
    });
  });
});

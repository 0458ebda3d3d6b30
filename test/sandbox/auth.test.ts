import { BASIC, TestSandbox } from './support/helpers';

describe('sandbox: authentication and x-request-id', () => {
  let sb: TestSandbox;
  let merchant: string;

  beforeAll(async () => {
    sb = await TestSandbox.start({
      credentials: { publicKey: 'pk_test', secretKey: 'sk_test' },
      accessTokens: ['token-a', 'token-b'],
    });
    merchant = await sb.seedMerchant();
  });
  afterAll(() => sb.close());

  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  it('answers 401 without credentials', async () => {
    const res = await sb.api('GET', `/accounts/${merchant}`, { auth: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(typeof res.body.error).toBe('string');
  });

  it.each([
    ['the default keys when others are configured', BASIC],
    ['a wrong secret', basic('pk_test', 'sk_wrong')],
    ['a wrong public key', basic('pk_wrong', 'sk_test')],
    ['no colon', `Basic ${Buffer.from('pk_test').toString('base64')}`],
    ['an unknown bearer token', 'Bearer token-c'],
    ['an empty bearer token', 'Bearer '],
    ['an unknown scheme', 'Digest abc'],
  ])('answers 401 for %s', async (_name, auth) => {
    expect((await sb.api('GET', `/accounts/${merchant}`, { auth })).status).toBe(401);
  });

  it('accepts the configured Basic keys and every configured Bearer token', async () => {
    expect((await sb.api('GET', `/accounts/${merchant}`, { auth: basic('pk_test', 'sk_test') })).status).toBe(200);
    expect((await sb.api('GET', `/accounts/${merchant}`, { auth: 'Bearer token-a' })).status).toBe(200);
    expect((await sb.api('GET', `/accounts/${merchant}`, { auth: 'bearer token-b' })).status).toBe(200);
  });

  it('checks credentials before revealing whether an account exists', async () => {
    expect((await sb.api('GET', '/accounts/00000000-0000-4000-8000-000000000000', { auth: null })).status).toBe(401);
  });

  it('puts a distinct x-request-id on every response: 404, admin, and success', async () => {
    const ids = [
      (await sb.api('GET', '/no/such/route')).headers.get('x-request-id'),
      (await sb.adminRaw('GET', '/_sandbox/clock')).headers.get('x-request-id'),
      (await sb.adminRaw('GET', '/_sandbox/accounts/00000000-0000-4000-8000-000000000000/state')).headers.get('x-request-id'),
      (await sb.api('GET', `/accounts/${merchant}`, { auth: 'Bearer token-a' })).headers.get('x-request-id'),
    ];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('needs no credentials for the admin API', async () => {
    expect((await sb.adminRaw('GET', '/_sandbox/health')).status).toBe(200);
  });
});

import { inspect } from 'node:util';
import { MoovClient, MoovConfigError, moovConfigFromEnv, validateMoovConfig } from '../../src/moov';
import type { MoovClientConfig } from '../../src/moov';

const SECRET = 'sk_live_SUPERSECRET_9f8e7d';
const PUBLIC = 'pk_PUBLICKEY_1a2b3c';
const TOKEN = 'tok_ACCESSTOKEN_5x6y7z';

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(PUBLIC);
  expect(text).not.toContain(TOKEN);
  // The Basic header value is a base64 encoding of the credentials: must not leak either.
  expect(text).not.toContain(Buffer.from(`${PUBLIC}:${SECRET}`).toString('base64'));
}

function configError(env: NodeJS.ProcessEnv): MoovConfigError {
  try {
    moovConfigFromEnv(env);
  } catch (err) {
    if (err instanceof MoovConfigError) return err;
    throw err;
  }
  throw new Error('expected moovConfigFromEnv to throw');
}

describe('moovConfigFromEnv', () => {
  it('reads Basic credentials and applies the documented defaults', () => {
    const config = moovConfigFromEnv({ MOOV_PUBLIC_KEY: PUBLIC, MOOV_SECRET_KEY: SECRET });
    expect(config).toMatchObject({
      baseUrl: 'https://api.moov.io',
      moovVersion: 'v2026.04.00',
      connectTimeoutMs: 5000,
      headersTimeoutMs: 30000,
      bodyTimeoutMs: 30000,
      maxConnections: 32,
    });
    expect(config.auth.kind).toBe('basic');
    // Still readable by code that needs them, just not enumerable.
    expect(config.auth.kind === 'basic' && config.auth.secretKey).toBe(SECRET);
    expect(config.auth.kind === 'basic' && config.auth.publicKey).toBe(PUBLIC);
  });

  it('reads a Bearer token and the overrides', () => {
    const config = moovConfigFromEnv({
      MOOV_ACCESS_TOKEN: TOKEN,
      MOOV_BASE_URL: 'http://127.0.0.1:8910/',
      MOOV_VERSION: 'v2024.01.00',
      MOOV_CONNECT_TIMEOUT_MS: '100',
      MOOV_HEADERS_TIMEOUT_MS: '200',
      MOOV_BODY_TIMEOUT_MS: '300',
      MOOV_MAX_CONNECTIONS: '4',
    });
    expect(config).toMatchObject({
      baseUrl: 'http://127.0.0.1:8910',
      moovVersion: 'v2024.01.00',
      connectTimeoutMs: 100,
      headersTimeoutMs: 200,
      bodyTimeoutMs: 300,
      maxConnections: 4,
    });
    expect(config.auth.kind === 'bearer' && config.auth.accessToken).toBe(TOKEN);
  });

  it.each<[string, NodeJS.ProcessEnv, string, RegExp]>([
    ['no credentials', {}, 'MOOV_PUBLIC_KEY', /no credentials; set MOOV_PUBLIC_KEY and MOOV_SECRET_KEY, or MOOV_ACCESS_TOKEN/],
    ['only the public key', { MOOV_PUBLIC_KEY: PUBLIC }, 'MOOV_SECRET_KEY', /MOOV_SECRET_KEY is required/],
    ['only the secret key', { MOOV_SECRET_KEY: SECRET }, 'MOOV_PUBLIC_KEY', /MOOV_PUBLIC_KEY is required/],
    ['both auth forms', { MOOV_PUBLIC_KEY: PUBLIC, MOOV_SECRET_KEY: SECRET, MOOV_ACCESS_TOKEN: TOKEN }, 'MOOV_ACCESS_TOKEN', /not both/],
    ['a non-numeric timeout', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_HEADERS_TIMEOUT_MS: `${SECRET}` }, 'MOOV_HEADERS_TIMEOUT_MS', /MOOV_HEADERS_TIMEOUT_MS must be a positive integer/],
    ['a zero timeout', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_CONNECT_TIMEOUT_MS: '0' }, 'MOOV_CONNECT_TIMEOUT_MS', /MOOV_CONNECT_TIMEOUT_MS must be at least 1 ms/],
    ['a bad base URL', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_BASE_URL: `ftp://${SECRET}` }, 'MOOV_BASE_URL', /MOOV_BASE_URL must be an http\(s\) URL/],
    ['credentials in the base URL', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_BASE_URL: `https://u:${SECRET}@api.moov.io` }, 'MOOV_BASE_URL', /without credentials/],
    ['a bad version', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_VERSION: '2026-04' }, 'MOOV_VERSION', /MOOV_VERSION must look like v2026.04.00/],
    ['zero connections', { MOOV_ACCESS_TOKEN: TOKEN, MOOV_MAX_CONNECTIONS: '0' }, 'MOOV_MAX_CONNECTIONS', /MOOV_MAX_CONNECTIONS must be at least 1/],
  ])('rejects %s, naming the variable but never a value', (_label, env, variable, message) => {
    const err = configError(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(message);
    expectNoSecrets(err.message);
    expectNoSecrets(JSON.stringify(err));
    expectNoSecrets(inspect(err));
  });

  it('treats empty variables as unset', () => {
    const config = moovConfigFromEnv({ MOOV_ACCESS_TOKEN: TOKEN, MOOV_PUBLIC_KEY: '', MOOV_BASE_URL: ' ' });
    expect(config.baseUrl).toBe('https://api.moov.io');
    expect(config.auth.kind).toBe('bearer');
  });
});

describe('secrets never render', () => {
  const basic = moovConfigFromEnv({ MOOV_PUBLIC_KEY: PUBLIC, MOOV_SECRET_KEY: SECRET });
  const bearer = moovConfigFromEnv({ MOOV_ACCESS_TOKEN: TOKEN });

  it.each([
    ['basic', basic],
    ['bearer', bearer],
  ])('%s config: JSON, inspect, String, keys, spread', (_label, config) => {
    expectNoSecrets(JSON.stringify(config));
    expectNoSecrets(inspect(config, { depth: 10, showHidden: false }));
    expectNoSecrets(JSON.stringify({ ...config }));
    expectNoSecrets(JSON.stringify(config.auth));
    expectNoSecrets(inspect(config.auth));
    expectNoSecrets(String(config.auth));
    expectNoSecrets(JSON.stringify(Object.entries(config.auth)));
    expect(JSON.stringify(config)).toContain('[redacted]');
  });

  it('a config built in code is sealed by validateMoovConfig and by the client', async () => {
    const plain: MoovClientConfig = { ...basic, auth: { kind: 'basic', publicKey: PUBLIC, secretKey: SECRET } };
    expect(JSON.stringify(plain)).toContain(SECRET); // the caller's own object, for contrast
    expectNoSecrets(JSON.stringify(validateMoovConfig(plain)));
    const client = new MoovClient(plain);
    try {
      expectNoSecrets(JSON.stringify(client));
      expectNoSecrets(inspect(client, { depth: 10 }));
      expectNoSecrets(String(client));
      expect(inspect(client)).toContain('MoovClient');
      expect(JSON.stringify(client)).toContain('"auth":"basic"');
    } finally {
      await client.close();
    }
  });

  it('rejects a code-built config with an empty secret, naming the field', () => {
    expect(() => validateMoovConfig({ ...basic, auth: { kind: 'basic', publicKey: PUBLIC, secretKey: '' } })).toThrow(/MOOV_SECRET_KEY must not be empty/);
  });
});

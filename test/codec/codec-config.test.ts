import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { CodecConfigError, codecServerConfigFromEnv, keyringFromEnv } from '../../src/codec';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const SHORT = randomBytes(16).toString('base64');

function errorOf(fn: () => unknown): CodecConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodecConfigError);
    return err as CodecConfigError;
  }
  throw new Error('expected a CodecConfigError');
}

/** Every message names the variable and never contains key material. */
function expectError(fn: () => unknown, variable: string, message: RegExp): void {
  const err = errorOf(fn);
  expect(err.variable).toBe(variable);
  expect(err.message).toMatch(message);
  for (const key of [KEY_A, KEY_B, SHORT]) expect(err.message).not.toContain(key);
}

describe('keyringFromEnv', () => {
  test('nothing set (or blank): undefined, payloads stay plaintext', () => {
    expect(keyringFromEnv({})).toBeUndefined();
    expect(keyringFromEnv({ TEMPORAL_CODEC_KEYS: '', TEMPORAL_CODEC_CURRENT_KEY_ID: ' ', TEMPORAL_CODEC_KEY_FILE: '' })).toBeUndefined();
  });

  test('TEMPORAL_CODEC_KEYS with the current key id', () => {
    const keyring = keyringFromEnv({ TEMPORAL_CODEC_KEYS: `2025-01:${KEY_A}, 2026-01:${KEY_B}`, TEMPORAL_CODEC_CURRENT_KEY_ID: '2026-01' })!;
    expect(keyring.currentKeyId).toBe('2026-01');
    expect([...keyring.keys.keys()]).toEqual(['2025-01', '2026-01']);
    expect(keyring.keys.get('2025-01')!.export().toString('base64')).toBe(KEY_A);
  });

  test('a single key is current without TEMPORAL_CODEC_CURRENT_KEY_ID', () => {
    expect(keyringFromEnv({ TEMPORAL_CODEC_KEYS: `only:${KEY_A}` })!.currentKeyId).toBe('only');
  });

  test('base64url keys are accepted', () => {
    const url = randomBytes(32).toString('base64url');
    expect(keyringFromEnv({ TEMPORAL_CODEC_KEYS: `u:${url}` })!.keys.get('u')!.export().toString('base64url')).toBe(url);
  });

  test.each([
    [{ TEMPORAL_CODEC_KEYS: `A:${SHORT}` }, 'TEMPORAL_CODEC_KEYS', /key "A" must be 32 bytes once base64-decoded, not 16/],
    [{ TEMPORAL_CODEC_KEYS: 'A:not base64!' }, 'TEMPORAL_CODEC_KEYS', /key "A" must be base64 \(generate one with: openssl rand -base64 32\)/],
    [{ TEMPORAL_CODEC_KEYS: KEY_A }, 'TEMPORAL_CODEC_KEYS', /entry 1 must be id:base64key/],
    [{ TEMPORAL_CODEC_KEYS: `A:${KEY_A},${KEY_B}` }, 'TEMPORAL_CODEC_KEYS', /entry 2 must be id:base64key/],
    [{ TEMPORAL_CODEC_KEYS: `A:${KEY_A},A:${KEY_B}`, TEMPORAL_CODEC_CURRENT_KEY_ID: 'A' }, 'TEMPORAL_CODEC_KEYS', /key id "A" twice/],
    [{ TEMPORAL_CODEC_KEYS: `bad id:${KEY_A}` }, 'TEMPORAL_CODEC_KEYS', /entry 1: the key id must be 1-64 characters/],
    [{ TEMPORAL_CODEC_KEYS: `A:${KEY_A},B:${KEY_B}` }, 'TEMPORAL_CODEC_CURRENT_KEY_ID', /is required when TEMPORAL_CODEC_KEYS has more than one key \(A, B\)/],
    [{ TEMPORAL_CODEC_KEYS: `A:${KEY_A}`, TEMPORAL_CODEC_CURRENT_KEY_ID: 'C' }, 'TEMPORAL_CODEC_CURRENT_KEY_ID', /is "C", which is not one of the configured key ids \(A\)/],
    [{ TEMPORAL_CODEC_CURRENT_KEY_ID: 'A' }, 'TEMPORAL_CODEC_CURRENT_KEY_ID', /no keys: set TEMPORAL_CODEC_KEYS or TEMPORAL_CODEC_KEY_FILE/],
    [{ TEMPORAL_CODEC_KEYS: `A:${KEY_A}`, TEMPORAL_CODEC_KEY_FILE: '/x.json' }, 'TEMPORAL_CODEC_KEYS', /both set/],
  ])('%j → %s', (env, variable, message) => {
    expectError(() => keyringFromEnv(env), variable, message);
  });

  describe('TEMPORAL_CODEC_KEY_FILE', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'codec-keys-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    async function keyFile(content: string): Promise<string> {
      const file = path.join(dir, `${randomBytes(4).toString('hex')}.json`);
      await writeFile(file, content, { mode: 0o600 });
      return file;
    }

    test('reads {current, keys}; TEMPORAL_CODEC_CURRENT_KEY_ID overrides current', async () => {
      const file = await keyFile(JSON.stringify({ current: 'old', keys: { old: KEY_A, new: KEY_B } }));
      expect(keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: file })!.currentKeyId).toBe('old');
      expect(keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: file, TEMPORAL_CODEC_CURRENT_KEY_ID: 'new' })!.currentKeyId).toBe('new');
    });

    test('a missing file, bad JSON, a wrong shape, a short key and an unknown current are named, without key material', async () => {
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: path.join(dir, 'none.json') }), 'TEMPORAL_CODEC_KEY_FILE', /none\.json\) cannot be read: ENOENT/);
      const broken = await keyFile(`{"current": "A", "keys": {"A": "${KEY_A}" oops}`);
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: broken }), 'TEMPORAL_CODEC_KEY_FILE', /is not valid JSON$/);
      const extra = await keyFile(JSON.stringify({ current: 'A', keys: { A: KEY_A }, secret: KEY_B }));
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: extra }), 'TEMPORAL_CODEC_KEY_FILE', /has unknown fields/);
      const noCurrent = await keyFile(JSON.stringify({ keys: { A: KEY_A } }));
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: noCurrent }), 'TEMPORAL_CODEC_KEY_FILE', /current: /);
      const short = await keyFile(JSON.stringify({ current: 'A', keys: { A: SHORT } }));
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: short }), 'TEMPORAL_CODEC_KEY_FILE', /key "A" must be 32 bytes/);
      const unknown = await keyFile(JSON.stringify({ current: 'B', keys: { A: KEY_A } }));
      expectError(() => keyringFromEnv({ TEMPORAL_CODEC_KEY_FILE: unknown }), 'TEMPORAL_CODEC_KEY_FILE', /names current key "B", which is not one of the configured key ids \(A\)/);
    });
  });
});

describe('codecServerConfigFromEnv', () => {
  const TOKEN = 'a'.repeat(40);

  test('defaults: 127.0.0.1:8888, the dev server UI origins; the token is never rendered', () => {
    const config = codecServerConfigFromEnv({ CODEC_SERVER_TOKEN: TOKEN });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8888, corsOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'] });
    expect(config.token).toBe(TOKEN);
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(inspect(config)).not.toContain(TOKEN);
    expect(inspect(config)).toContain('[redacted]');
  });

  test('host, port and a list of origins', () => {
    expect(
      codecServerConfigFromEnv({ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_HOST: '0.0.0.0', CODEC_SERVER_PORT: '9000', CODEC_SERVER_CORS_ORIGIN: 'https://ui.example.com/, http://localhost:8080' }),
    ).toMatchObject({ host: '0.0.0.0', port: 9000, corsOrigins: ['https://ui.example.com', 'http://localhost:8080'] });
  });

  test.each([
    [{}, 'CODEC_SERVER_TOKEN', /is required/],
    [{ CODEC_SERVER_TOKEN: 'short' }, 'CODEC_SERVER_TOKEN', /at least 16 characters/],
    [{ CODEC_SERVER_TOKEN: `${TOKEN} x` }, 'CODEC_SERVER_TOKEN', /printable ASCII without spaces/],
    [{ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_PORT: 'http' }, 'CODEC_SERVER_PORT', /port number/],
    [{ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_PORT: '70000' }, 'CODEC_SERVER_PORT', /port number/],
    [{ CODEC_SERVER_TOKEN: TOKEN, CODEC_SERVER_CORS_ORIGIN: 'localhost:8233' }, 'CODEC_SERVER_CORS_ORIGIN', /not an origin/],
  ])('%j → %s', (env, variable, message) => {
    const err = errorOf(() => codecServerConfigFromEnv(env));
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(TOKEN);
  });
});

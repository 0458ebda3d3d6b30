import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, invalidConfiguration } from '../domain/config-error';
import { readSettings, setting, type Env } from '../domain/settings';

/**
 * Payload encryption keys and codec server settings, read from the environment. Key material is
 * held only in `KeyObject`s (which never print their bytes); error messages name the variable and
 * the key id, never a key.
 */

/** AES-256: every key is 32 bytes. */
export const KEY_BYTES = 32;

/** Which key encrypts new payloads, and every key that may decrypt old ones. */
export interface CodecKeyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, KeyObject>;
}

export interface CodecServerConfig {
  host: string;
  port: number;
  /** Never rendered: non-enumerable, and `[redacted]` in JSON and util.inspect. */
  token: string;
  /** Browser origins allowed to call the server (the Temporal UI's); `*` allows any. */
  corsOrigins: string[];
}

/** `variable`: the environment variable at fault, e.g. TEMPORAL_CODEC_KEYS (or, from createKeyring, what the caller named). */
export class CodecConfigError extends ConfigError {
  override readonly name: string = 'CodecConfigError';
  constructor(variable: string, problem: string) {
    super(variable, invalidConfiguration(variable, problem));
  }
}
const codecConfigError = (variable: string, problem: string) => new CodecConfigError(variable, problem);

export const DEFAULT_CODEC_SERVER_HOST = '127.0.0.1';
export const DEFAULT_CODEC_SERVER_PORT = 8888;
/** The dev server's Web UI (`npm start`, `temporal server start-dev`), by either name. */
export const DEFAULT_CODEC_SERVER_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];
export const MIN_TOKEN_LENGTH = 16;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_ID_RULE = 'must be 1-64 characters of letters, digits, ".", "_" or "-"';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const keyIdSchema = z.string().trim().regex(KEY_ID, KEY_ID_RULE);

/** Decodes one base64 key; the error says what is wrong with it, never what it is. */
function decodeKey(base64: string): { key: Buffer } | { problem: string } {
  const text = base64.trim();
  if (!BASE64.test(text)) return { problem: `must be base64 (generate one with: openssl rand -base64 ${KEY_BYTES})` };
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) return { problem: `must be ${KEY_BYTES} bytes once base64-decoded, not ${key.length}` };
  return { key };
}

/** Builds a keyring from base64 (or raw 32-byte) keys: for tests, tools and the env readers below. */
export function createKeyring(
  current: string,
  keys: Record<string, string | Uint8Array>,
  /** What errors name: the variables (or file) the keys and the current id came from. */
  source: { keys: string; current: string } = { keys: 'keys', current: 'current' },
): CodecKeyring {
  const variable = source.keys;
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new CodecConfigError(variable, 'has no keys');
  const map = new Map<string, KeyObject>();
  for (const id of ids) {
    if (!KEY_ID.test(id)) throw new CodecConfigError(variable, `has a key id that ${KEY_ID_RULE}`);
    const value = keys[id]!;
    let bytes: Buffer;
    if (typeof value === 'string') {
      const decoded = decodeKey(value);
      if ('problem' in decoded) throw new CodecConfigError(variable, `key "${id}" ${decoded.problem}`);
      bytes = decoded.key;
    } else {
      if (value.length !== KEY_BYTES) throw new CodecConfigError(variable, `key "${id}" must be ${KEY_BYTES} bytes, not ${value.length}`);
      bytes = Buffer.from(value);
    }
    map.set(id, createSecretKey(bytes));
    bytes.fill(0);
  }
  if (!map.has(current)) {
    const names = source.current === variable ? 'names current key' : 'is';
    throw new CodecConfigError(source.current, `${names} "${current}", which is not one of the configured key ids (${ids.join(', ')})`);
  }
  return { currentKeyId: current, keys: map };
}

/** Where the keys come from (src/domain/settings.ts); how they fit together is checked by keyringFromEnv. */
export const KEYRING_SETTINGS = {
  keys: setting({
    variable: 'TEMPORAL_CODEC_KEYS',
    parse: z.string().optional(),
    defaultText: '— (plaintext)',
    usedBy: 'worker, CLI, client, codec server, webhook receiver',
    meaning: 'payload encryption keys, `id1:base64key,id2:base64key`; each key 32 bytes. See [Encrypted payloads](#encrypted-payloads)',
  }),
  currentKeyId: setting({
    variable: 'TEMPORAL_CODEC_CURRENT_KEY_ID',
    parse: z.string().regex(KEY_ID, KEY_ID_RULE).optional(),
    defaultText: 'the only key',
    usedBy: 'worker, CLI, client, codec server, webhook receiver',
    meaning: 'the key id that encrypts new payloads (required with more than one key); the others only decrypt',
  }),
  keyFile: setting({
    variable: 'TEMPORAL_CODEC_KEY_FILE',
    parse: z.string().optional(),
    defaultText: '—',
    usedBy: 'worker, CLI, client, codec server, webhook receiver',
    meaning: 'instead of `TEMPORAL_CODEC_KEYS`: a JSON file `{"current": "id", "keys": {"id": "base64key"}}`',
  }),
};

const keyFileSchema = z.strictObject({
  current: keyIdSchema,
  keys: z.record(z.string(), z.string()),
});

/**
 * The keyring from TEMPORAL_CODEC_KEYS (`id1:base64key,id2:base64key`) with
 * TEMPORAL_CODEC_CURRENT_KEY_ID, or from the JSON file TEMPORAL_CODEC_KEY_FILE
 * (`{"current": "id", "keys": {"id": "base64key"}}`; TEMPORAL_CODEC_CURRENT_KEY_ID, when set,
 * overrides its `current`). `undefined` when none is set: payloads stay plaintext.
 */
export function keyringFromEnv(env: Env = process.env): CodecKeyring | undefined {
  const { keys, keyFile, currentKeyId: currentFromEnv } = readSettings(KEYRING_SETTINGS, env, codecConfigError);
  if (keys !== undefined && keyFile !== undefined) {
    throw new CodecConfigError('TEMPORAL_CODEC_KEYS', 'and TEMPORAL_CODEC_KEY_FILE are both set; set one of them');
  }
  if (keyFile !== undefined) return keyringFromFile(keyFile, currentFromEnv);
  if (keys !== undefined) return keyringFromList(keys, currentFromEnv);
  if (currentFromEnv !== undefined) {
    throw new CodecConfigError('TEMPORAL_CODEC_CURRENT_KEY_ID', 'is set but there are no keys: set TEMPORAL_CODEC_KEYS or TEMPORAL_CODEC_KEY_FILE');
  }
  return undefined;
}

function keyringFromList(list: string, currentFromEnv: string | undefined): CodecKeyring {
  const variable = 'TEMPORAL_CODEC_KEYS';
  const keys: Record<string, string> = {};
  const entries = list.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    // The entry may be a bare key: say where it is, not what it is.
    if (colon <= 0) throw new CodecConfigError(variable, `entry ${index + 1} must be id:base64key`);
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID.test(id)) throw new CodecConfigError(variable, `entry ${index + 1}: the key id ${KEY_ID_RULE}`);
    if (id in keys) throw new CodecConfigError(variable, `has key id "${id}" twice`);
    keys[id] = entry.slice(colon + 1);
  });
  let current = currentFromEnv;
  if (current === undefined) {
    const ids = Object.keys(keys);
    if (ids.length > 1) {
      throw new CodecConfigError('TEMPORAL_CODEC_CURRENT_KEY_ID', `is required when TEMPORAL_CODEC_KEYS has more than one key (${ids.join(', ')})`);
    }
    current = ids[0]!;
  }
  return createKeyring(current, keys, { keys: variable, current: 'TEMPORAL_CODEC_CURRENT_KEY_ID' });
}

function keyringFromFile(file: string, currentFromEnv: string | undefined): CodecKeyring {
  const variable = 'TEMPORAL_CODEC_KEY_FILE';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CodecConfigError(variable, `(${file}) cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the mistake, which may be key material.
    throw new CodecConfigError(variable, `(${file}) is not valid JSON`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
    const what = issue.code === 'unrecognized_keys' ? 'has unknown fields (expected {"current": "id", "keys": {"id": "base64key"}})' : issue.message;
    throw new CodecConfigError(variable, `(${file}) ${where}: ${what}`);
  }
  const current = currentFromEnv ?? parsed.data.current;
  return createKeyring(current, parsed.data.keys, { keys: variable, current: currentFromEnv !== undefined ? 'TEMPORAL_CODEC_CURRENT_KEY_ID' : variable });
}

/** `npm run codec-server`'s own settings (src/domain/settings.ts). */
export const CODEC_SERVER_SETTINGS = {
  token: setting({
    variable: 'CODEC_SERVER_TOKEN',
    parse: z
      .string({ error: 'is required (generate one with: openssl rand -hex 32)' })
      .min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters`)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    defaultText: '*required* by the codec server',
    usedBy: 'codec server',
    meaning: 'the secret callers present (at least 16 characters)',
  }),
  host: setting({
    variable: 'CODEC_SERVER_HOST',
    default: DEFAULT_CODEC_SERVER_HOST,
    parse: z.string().regex(/^\S+$/, 'must be a host name or IP address'),
    usedBy: 'codec server',
    meaning: 'where `npm run codec-server` listens',
  }),
  port: setting({
    variable: 'CODEC_SERVER_PORT',
    default: String(DEFAULT_CODEC_SERVER_PORT),
    parse: z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number (0-65535)')
      .transform(Number)
      .refine((port) => port <= 65535, 'must be a port number (0-65535)'),
    usedBy: 'codec server',
    meaning: 'the port it listens on',
  }),
  corsOrigins: setting({
    variable: 'CODEC_SERVER_CORS_ORIGIN',
    default: DEFAULT_CODEC_SERVER_CORS_ORIGINS.join(','),
    parse: z
      .string()
      .transform((list) => list.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
      .superRefine((origins, ctx) => {
        const bad = origins.find((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin));
        if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `has "${bad}", which is not an origin such as http://localhost:8233` });
      }),
    usedBy: 'codec server',
    meaning: "comma-separated browser origins (the Temporal UI's) allowed to call it; `*` for any",
  }),
};

/** `npm run codec-server`: where it listens, the token callers must present, and who may call it from a browser. */
export function codecServerConfigFromEnv(env: Env = process.env): CodecServerConfig {
  const { token, host, port, corsOrigins } = readSettings(CODEC_SERVER_SETTINGS, env, codecConfigError);
  const config = { host, port, corsOrigins } as CodecServerConfig;
  Object.defineProperty(config, 'token', { value: token, enumerable: false });
  Object.defineProperty(config, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => ({ host, port, token: '[redacted]', corsOrigins }),
    enumerable: false,
  });
  Object.defineProperty(config, 'toJSON', { value: () => ({ host, port, token: '[redacted]', corsOrigins }), enumerable: false });
  return config;
}

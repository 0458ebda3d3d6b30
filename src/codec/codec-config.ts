import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

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

export class CodecConfigError extends Error {
  override readonly name = 'CodecConfigError';
  constructor(
    /** The environment variable at fault, e.g. TEMPORAL_CODEC_KEYS. */
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

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

/** A blank value (`TEMPORAL_CODEC_KEYS=` in a .env or compose file) means "not set". */
const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

const keyringEnvSchema = z.object({
  TEMPORAL_CODEC_KEYS: optional,
  TEMPORAL_CODEC_CURRENT_KEY_ID: optional,
  TEMPORAL_CODEC_KEY_FILE: optional,
});

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
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): CodecKeyring | undefined {
  const vars = keyringEnvSchema.parse(env);
  const currentFromEnv = vars.TEMPORAL_CODEC_CURRENT_KEY_ID;
  if (currentFromEnv !== undefined && !KEY_ID.test(currentFromEnv)) {
    throw new CodecConfigError('TEMPORAL_CODEC_CURRENT_KEY_ID', KEY_ID_RULE);
  }
  if (vars.TEMPORAL_CODEC_KEYS !== undefined && vars.TEMPORAL_CODEC_KEY_FILE !== undefined) {
    throw new CodecConfigError('TEMPORAL_CODEC_KEYS', 'and TEMPORAL_CODEC_KEY_FILE are both set; set one of them');
  }
  if (vars.TEMPORAL_CODEC_KEY_FILE !== undefined) return keyringFromFile(vars.TEMPORAL_CODEC_KEY_FILE, currentFromEnv);
  if (vars.TEMPORAL_CODEC_KEYS !== undefined) return keyringFromList(vars.TEMPORAL_CODEC_KEYS, currentFromEnv);
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

const serverEnvSchema = z.object({
  CODEC_SERVER_HOST: optional,
  CODEC_SERVER_PORT: optional,
  CODEC_SERVER_TOKEN: optional,
  CODEC_SERVER_CORS_ORIGIN: optional,
});

/** `npm run codec-server`: where it listens, the token callers must present, and who may call it from a browser. */
export function codecServerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const vars = serverEnvSchema.parse(env);
  const token = vars.CODEC_SERVER_TOKEN;
  if (token === undefined) throw new CodecConfigError('CODEC_SERVER_TOKEN', 'is required (generate one with: openssl rand -hex 32)');
  if (token.length < MIN_TOKEN_LENGTH) throw new CodecConfigError('CODEC_SERVER_TOKEN', `must be at least ${MIN_TOKEN_LENGTH} characters`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new CodecConfigError('CODEC_SERVER_TOKEN', 'must be printable ASCII without spaces');

  let port = DEFAULT_CODEC_SERVER_PORT;
  if (vars.CODEC_SERVER_PORT !== undefined) {
    port = Number(vars.CODEC_SERVER_PORT);
    if (!/^\d{1,5}$/.test(vars.CODEC_SERVER_PORT) || port > 65535) throw new CodecConfigError('CODEC_SERVER_PORT', 'must be a port number (0-65535)');
  }
  const host = vars.CODEC_SERVER_HOST ?? DEFAULT_CODEC_SERVER_HOST;
  if (/\s/.test(host)) throw new CodecConfigError('CODEC_SERVER_HOST', 'must be a host name or IP address');

  const corsOrigins = vars.CODEC_SERVER_CORS_ORIGIN?.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean) ?? DEFAULT_CODEC_SERVER_CORS_ORIGINS;
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new CodecConfigError('CODEC_SERVER_CORS_ORIGIN', `has "${origin}", which is not an origin such as http://localhost:8233`);
    }
  }
  const config = { host, port, corsOrigins } as CodecServerConfig;
  Object.defineProperty(config, 'token', { value: token, enumerable: false });
  Object.defineProperty(config, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => ({ host, port, token: '[redacted]', corsOrigins }),
    enumerable: false,
  });
  Object.defineProperty(config, 'toJSON', { value: () => ({ host, port, token: '[redacted]', corsOrigins }), enumerable: false });
  return config;
}

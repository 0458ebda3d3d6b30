import { inspect } from 'node:util';
import { z } from 'zod';
import { sealAuth } from './auth';
import type { MoovAuth } from './auth';
import { MoovConfigError } from './errors';

export interface MoovClientConfig {
  baseUrl: string;
  auth: MoovAuth;
  moovVersion: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_BASE_URL = 'https://api.moov.io';
export const DEFAULT_MOOV_VERSION = 'v2026.04.00';

/** Which environment variable feeds which config field, so errors can name the variable. */
const ENV_NAMES = {
  baseUrl: 'MOOV_BASE_URL',
  moovVersion: 'MOOV_VERSION',
  connectTimeoutMs: 'MOOV_CONNECT_TIMEOUT_MS',
  headersTimeoutMs: 'MOOV_HEADERS_TIMEOUT_MS',
  bodyTimeoutMs: 'MOOV_BODY_TIMEOUT_MS',
  maxConnections: 'MOOV_MAX_CONNECTIONS',
} as const;

const TEN_MINUTES_MS = 10 * 60 * 1000;

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    // Credentials in the URL would bypass the redaction below and end up in logs.
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials, query or fragment');

/** Moov versions are vYYYY.QQ.BB; `latest` is the documented beta alias. */
const moovVersion = z.string().regex(/^(v\d{4}\.\d{2}\.\d{2}|latest)$/, 'must look like v2026.04.00');
const timeoutMs = z.number().int('must be an integer number of milliseconds').min(1, 'must be at least 1 ms').max(TEN_MINUTES_MS, 'must be at most 600000 ms');
const nonEmpty = z.string().min(1, 'must not be empty');

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('basic'), publicKey: nonEmpty, secretKey: nonEmpty }),
  z.object({ kind: z.literal('bearer'), accessToken: nonEmpty }),
]);

const configSchema = z.object({
  baseUrl: httpUrl,
  auth: authSchema,
  moovVersion,
  connectTimeoutMs: timeoutMs,
  headersTimeoutMs: timeoutMs,
  bodyTimeoutMs: timeoutMs,
  maxConnections: z.number().int('must be an integer').min(1, 'must be at least 1').max(1024, 'must be at most 1024'),
});

function configFieldName(path: readonly PropertyKey[]): string {
  const [head, leaf] = path;
  if (head === 'auth') {
    if (leaf === 'publicKey') return 'MOOV_PUBLIC_KEY';
    if (leaf === 'secretKey') return 'MOOV_SECRET_KEY';
    if (leaf === 'accessToken') return 'MOOV_ACCESS_TOKEN';
    return 'auth';
  }
  return typeof head === 'string' && head in ENV_NAMES ? ENV_NAMES[head as keyof typeof ENV_NAMES] : String(head);
}

/**
 * Validates a config built in code (the env path goes through here too) and returns a frozen
 * copy whose credentials never render: see sealAuth. zod issue messages never include the
 * offending value, and only the first issue's field is named.
 */
export function validateMoovConfig(config: MoovClientConfig): MoovClientConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? configFieldName(issue.path) : 'config';
    throw new MoovConfigError(field, `Invalid Moov configuration: ${field} ${issue?.message ?? 'is invalid'}`);
  }
  const value = parsed.data;
  const safe: MoovClientConfig = {
    baseUrl: value.baseUrl.replace(/\/+$/, ''),
    auth: sealAuth(value.auth),
    moovVersion: value.moovVersion,
    connectTimeoutMs: value.connectTimeoutMs,
    headersTimeoutMs: value.headersTimeoutMs,
    bodyTimeoutMs: value.bodyTimeoutMs,
    maxConnections: value.maxConnections,
  };
  // Belt and braces: the sealed auth already redacts itself, but a config-level hook keeps the
  // output stable even if a caller swaps the auth object for a plain one.
  const view = (): Record<string, unknown> => ({ ...safe, auth: { kind: safe.auth.kind, credentials: '[redacted]' } });
  Object.defineProperties(safe, {
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: { value: view, enumerable: false },
  });
  return Object.freeze(safe);
}

function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  // An empty assignment in a .env file means "not set", not "set to nothing".
  return value ? value : undefined;
}

function readInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = readEnv(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new MoovConfigError(name, `Invalid Moov configuration: ${name} must be a positive integer`);
  return Number(raw);
}

function authFromEnv(env: NodeJS.ProcessEnv): MoovAuth {
  const publicKey = readEnv(env, 'MOOV_PUBLIC_KEY');
  const secretKey = readEnv(env, 'MOOV_SECRET_KEY');
  const accessToken = readEnv(env, 'MOOV_ACCESS_TOKEN');
  if (accessToken !== undefined && (publicKey !== undefined || secretKey !== undefined)) {
    throw new MoovConfigError(
      'MOOV_ACCESS_TOKEN',
      'Invalid Moov configuration: set either MOOV_PUBLIC_KEY + MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN, not both',
    );
  }
  if (accessToken !== undefined) return { kind: 'bearer', accessToken };
  if (publicKey !== undefined && secretKey !== undefined) return { kind: 'basic', publicKey, secretKey };
  if (publicKey !== undefined) throw new MoovConfigError('MOOV_SECRET_KEY', 'Invalid Moov configuration: MOOV_SECRET_KEY is required when MOOV_PUBLIC_KEY is set');
  if (secretKey !== undefined) throw new MoovConfigError('MOOV_PUBLIC_KEY', 'Invalid Moov configuration: MOOV_PUBLIC_KEY is required when MOOV_SECRET_KEY is set');
  throw new MoovConfigError(
    'MOOV_PUBLIC_KEY',
    'Invalid Moov configuration: no credentials; set MOOV_PUBLIC_KEY and MOOV_SECRET_KEY, or MOOV_ACCESS_TOKEN',
  );
}

export function moovConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MoovClientConfig {
  return validateMoovConfig({
    baseUrl: readEnv(env, 'MOOV_BASE_URL') ?? DEFAULT_BASE_URL,
    auth: authFromEnv(env),
    moovVersion: readEnv(env, 'MOOV_VERSION') ?? DEFAULT_MOOV_VERSION,
    connectTimeoutMs: readInt(env, 'MOOV_CONNECT_TIMEOUT_MS', 5000),
    headersTimeoutMs: readInt(env, 'MOOV_HEADERS_TIMEOUT_MS', 30_000),
    bodyTimeoutMs: readInt(env, 'MOOV_BODY_TIMEOUT_MS', 30_000),
    maxConnections: readInt(env, 'MOOV_MAX_CONNECTIONS', 32),
  });
}

import { inspect } from 'node:util';
import { z } from 'zod';
import { sealAuth } from './auth';
import type { MoovAuth } from './auth';
import { readSettings, setting, type Env } from '../domain/settings';
import { MoovConfigError } from './errors';

export const DEFAULT_BASE_URL = 'https://api.moov.io';
export const DEFAULT_MOOV_VERSION = 'v2026.04.00';

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

/** The client's configuration: the ranges above, with the credentials sealed (sealAuth). */
export type MoovClientConfig = Omit<z.infer<typeof configSchema>, 'auth'> & { auth: MoovAuth };

function moovConfigError(variable: string, problem: string): MoovConfigError {
  return new MoovConfigError(variable, `Invalid Moov configuration: ${variable} ${problem}`);
}

function configFieldName(path: readonly PropertyKey[]): string {
  const [head, leaf] = path;
  if (head === 'auth') {
    if (leaf === 'publicKey') return 'MOOV_PUBLIC_KEY';
    if (leaf === 'secretKey') return 'MOOV_SECRET_KEY';
    if (leaf === 'accessToken') return 'MOOV_ACCESS_TOKEN';
    return 'auth';
  }
  // Each config field is fed by its setting's variable (MOOV_SETTINGS), so errors name the variable.
  const row = typeof head === 'string' ? (MOOV_SETTINGS as Record<string, { variable: string } | undefined>)[head] : undefined;
  return row?.variable ?? String(head);
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
    throw moovConfigError(field, issue?.message ?? 'is invalid');
  }
  const value = parsed.data;
  const safe: MoovClientConfig = { ...value, baseUrl: value.baseUrl.replace(/\/+$/, ''), auth: sealAuth(value.auth) };
  // Belt and braces: the sealed auth already redacts itself, but a config-level hook keeps the
  // output stable even if a caller swaps the auth object for a plain one.
  const view = (): Record<string, unknown> => ({ ...safe, auth: { kind: safe.auth.kind, credentials: '[redacted]' } });
  Object.defineProperties(safe, {
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: { value: view, enumerable: false },
  });
  return Object.freeze(safe);
}

/**
 * Where the client's settings come from (src/domain/settings.ts). A value is checked for its form
 * here and for its range by validateMoovConfig, which also checks configs built in code.
 */
const positiveInteger = z.string().regex(/^\d+$/, 'must be a positive integer').transform(Number);
const credential = z.string().optional();
export const MOOV_SETTINGS = {
  baseUrl: setting({ variable: 'MOOV_BASE_URL', default: DEFAULT_BASE_URL, parse: z.string(), usedBy: 'worker', meaning: 'Moov API base URL (the sandbox: `http://127.0.0.1:8910`)' }),
  publicKey: setting({ variable: 'MOOV_PUBLIC_KEY', parse: credential, defaultText: '—', usedBy: 'worker', meaning: 'HTTP Basic username (with `MOOV_SECRET_KEY`)' }),
  secretKey: setting({ variable: 'MOOV_SECRET_KEY', parse: credential, defaultText: '—', usedBy: 'worker', meaning: 'HTTP Basic password' }),
  accessToken: setting({ variable: 'MOOV_ACCESS_TOKEN', parse: credential, defaultText: '—', usedBy: 'worker', meaning: 'Bearer token, instead of the two keys (setting both is an error)' }),
  moovVersion: setting({ variable: 'MOOV_VERSION', default: DEFAULT_MOOV_VERSION, parse: z.string(), usedBy: 'worker', meaning: '`X-Moov-Version` header' }),
  connectTimeoutMs: setting({ variable: 'MOOV_CONNECT_TIMEOUT_MS', default: '5000', parse: positiveInteger, usedBy: 'worker', meaning: 'TCP/TLS connect timeout; at most `30000`' }),
  headersTimeoutMs: setting({ variable: 'MOOV_HEADERS_TIMEOUT_MS', default: '30000', parse: positiveInteger, usedBy: 'worker', meaning: 'time to receive response headers; at most `60000`' }),
  bodyTimeoutMs: setting({
    variable: 'MOOV_BODY_TIMEOUT_MS',
    default: '30000',
    parse: positiveInteger,
    usedBy: 'worker',
    meaning:
      "idle time while receiving a body; at most `60000`. The activities' Temporal timeouts are derived from these maxima (`src/domain/activity-timeouts.ts`), so the worker refuses a longer value rather than let Temporal time out a request that can still land",
  }),
  maxConnections: setting({ variable: 'MOOV_MAX_CONNECTIONS', default: '32', parse: positiveInteger, usedBy: 'worker', meaning: 'connection pool size' }),
};

function authOf({ publicKey, secretKey, accessToken }: { publicKey?: string; secretKey?: string; accessToken?: string }): MoovAuth {
  if (accessToken !== undefined && (publicKey !== undefined || secretKey !== undefined)) {
    throw new MoovConfigError(
      'MOOV_ACCESS_TOKEN',
      'Invalid Moov configuration: set either MOOV_PUBLIC_KEY + MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN, not both',
    );
  }
  if (accessToken !== undefined) return { kind: 'bearer', accessToken };
  if (publicKey !== undefined && secretKey !== undefined) return { kind: 'basic', publicKey, secretKey };
  if (publicKey !== undefined) throw moovConfigError('MOOV_SECRET_KEY', 'is required when MOOV_PUBLIC_KEY is set');
  if (secretKey !== undefined) throw moovConfigError('MOOV_PUBLIC_KEY', 'is required when MOOV_SECRET_KEY is set');
  throw new MoovConfigError(
    'MOOV_PUBLIC_KEY',
    'Invalid Moov configuration: no credentials; set MOOV_PUBLIC_KEY and MOOV_SECRET_KEY, or MOOV_ACCESS_TOKEN',
  );
}

export function moovConfigFromEnv(env: Env = process.env): MoovClientConfig {
  const { publicKey, secretKey, accessToken, ...settings } = readSettings(MOOV_SETTINGS, env, moovConfigError);
  return validateMoovConfig({ ...settings, auth: authOf({ publicKey, secretKey, accessToken }) });
}

import { fromTomlProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { tomlLoadClientConfigProfile, type TomlClientConfigProfile } from '@temporalio/envconfig/lib/envconfig-toml';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, invalidConfiguration } from '../domain/config-error';
import type { VariableDoc } from '../domain/settings';

/**
 * How the worker and the client reach Temporal, read the way every Temporal SDK and the Temporal
 * CLI read it (`@temporalio/envconfig`): a profile from a TOML config file (TEMPORAL_CONFIG_FILE,
 * else the CLI's own `~/.config/temporalio/temporal.toml`; TEMPORAL_PROFILE picks the profile,
 * default "default"), overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS*, TEMPORAL_GRPC_META_*. On top of that, the project checks every value and names
 * the variable (or profile key) that is wrong, never its value.
 */
export interface TemporalConnection {
  /** Frontend `host:port`. */
  address: string;
  namespace: string;
  /** Absent or false: plaintext. true: TLS with the system's roots. An object: custom TLS (mTLS, CA, SNI). */
  tls?: TLSConfig | boolean;
  /** Temporal Cloud API key (implies TLS unless TLS is disabled). Non-enumerable; never rendered. */
  apiKey?: string;
  /** gRPC headers (TEMPORAL_GRPC_META_*, `grpc_meta`). Values never rendered. */
  metadata?: Record<string, string>;
}

/** What NativeConnection.connect (worker) and Connection.connect (client) both take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export { ConfigError };

/** A connection setting is wrong; `variable` says which (env var, or profile key and file, e.g. TEMPORAL_TLS_CLIENT_KEY_PATH). */
export class TemporalConfigError extends ConfigError {
  constructor(variable: string, problem: string) {
    super(variable, invalidConfiguration(variable, problem));
  }
}

export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** Which environment variable feeds which profile key, so that errors name what the user set. */
const ENV = {
  address: 'TEMPORAL_ADDRESS',
  namespace: 'TEMPORAL_NAMESPACE',
  api_key: 'TEMPORAL_API_KEY',
  'tls.disabled': 'TEMPORAL_TLS',
  'tls.client_cert_path': 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'tls.client_cert_data': 'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'tls.client_key_path': 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'tls.client_key_data': 'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'tls.server_ca_cert_path': 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'tls.server_ca_cert_data': 'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  'tls.server_name': 'TEMPORAL_TLS_SERVER_NAME',
  'tls.disable_host_verification': 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
} as const;
type ProfileKey = keyof typeof ENV;

/**
 * The connection variables as docs/configuration.md's table states them. envconfig reads them
 * (merged with the profile file), so they are documented here rather than parsed by a settings
 * table; the checks are in temporalConnectionFromEnv.
 */
const CONNECTION = 'worker, CLI, client, webhook receiver';
export const TEMPORAL_CONNECTION_VARIABLES: VariableDoc[] = [
  { variable: 'TEMPORAL_ADDRESS', defaultText: `\`${DEFAULT_TEMPORAL_ADDRESS}\` (or the profile's)`, usedBy: CONNECTION, meaning: 'Temporal frontend `host:port`' },
  { variable: 'TEMPORAL_NAMESPACE', defaultText: `\`${DEFAULT_TEMPORAL_NAMESPACE}\` (or the profile's)`, usedBy: CONNECTION, meaning: 'namespace' },
  { variable: 'TEMPORAL_API_KEY', usedBy: CONNECTION, meaning: 'API key (Temporal Cloud); turns TLS on unless `TEMPORAL_TLS=false`. Never logged' },
  {
    variable: 'TEMPORAL_TLS',
    defaultText: 'on with an API key or any TLS setting, else off',
    usedBy: CONNECTION,
    meaning: "`true`/`false` (or `1`/`0`): TLS with the system's root certificates",
  },
  {
    variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH / TEMPORAL_TLS_CLIENT_KEY_PATH',
    usedBy: CONNECTION,
    meaning: 'mTLS client certificate and private key, PEM files (both or neither). `…_DATA` variants take the PEM text itself',
  },
  {
    variable: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    defaultText: "the system's roots",
    usedBy: CONNECTION,
    meaning: "PEM CA that signed the server's certificate (`…_DATA` for the PEM text)",
  },
  {
    variable: 'TEMPORAL_TLS_SERVER_NAME',
    defaultText: "the address's host",
    usedBy: CONNECTION,
    meaning: "the name to expect on the server's certificate (SNI), e.g. behind a proxy",
  },
  { variable: 'TEMPORAL_GRPC_META_<NAME>', usedBy: CONNECTION, meaning: 'an extra gRPC header `<name>` on every call (values never logged)' },
  { variable: 'TEMPORAL_PROFILE', defaultText: '`default`', usedBy: CONNECTION, meaning: 'the profile to read from the config file' },
  {
    variable: 'TEMPORAL_CONFIG_FILE',
    defaultText: "the Temporal CLI's file (`~/.config/temporalio/temporal.toml` on Linux), if it exists",
    usedBy: CONNECTION,
    meaning: "the TOML config file of profiles (the Temporal CLI's format); when set, it must exist",
  },
];

/** Optional connection settings: a blank value (`TEMPORAL_API_KEY=` in a .env file) means "not set". */
const BLANK_MEANS_UNSET = [...Object.values(ENV).filter((name) => name !== 'TEMPORAL_ADDRESS' && name !== 'TEMPORAL_NAMESPACE'), 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'];

const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/;

/** Reads and checks the connection settings (everything but the task queue) from `env`. */
export function temporalConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConnection {
  const vars = withoutBlankOptionals(env);
  const source = describeSource(vars);
  const where = (key: ProfileKey): string => (vars[ENV[key]] !== undefined ? ENV[key] : `${key} in ${source}`);
  const { profile, raw } = loadProfile(vars, source);

  const address = requireNonEmpty(profile.address ?? DEFAULT_TEMPORAL_ADDRESS, where('address'));
  if (!ADDRESS.test(address)) throw new TemporalConfigError(where('address'), 'must be host:port, e.g. localhost:7233');
  const namespace = requireNonEmpty(profile.namespace ?? DEFAULT_TEMPORAL_NAMESPACE, where('namespace'));

  if (profile.apiKey !== undefined) requireNonEmpty(profile.apiKey, where('api_key'));
  const tlsFlag = vars.TEMPORAL_TLS;
  if (tlsFlag !== undefined && !['true', 'false', '1', '0'].includes(tlsFlag)) {
    throw new TemporalConfigError('TEMPORAL_TLS', 'must be true or false (or 1 / 0)');
  }
  if (raw.tls?.disable_host_verification !== undefined) {
    throw new TemporalConfigError(where('tls.disable_host_verification'), 'is not supported by the Temporal TypeScript SDK; set TEMPORAL_TLS_SERVER_NAME to the name on the server certificate instead');
  }
  if (profile.tls && profile.tls.disabled !== true) checkTlsFiles(profile, where);

  let options: ReturnType<typeof toClientOptions>['connectionOptions'];
  try {
    options = toClientOptions(profile).connectionOptions;
  } catch (err) {
    throw new TemporalConfigError(source, `could not be turned into connection options: ${(err as Error).message}`);
  }
  const tls = options.tls ?? undefined;
  return sealConnection({
    address,
    namespace,
    ...(tls !== undefined && { tls }),
    ...(profile.apiKey !== undefined && { apiKey: profile.apiKey }),
    ...(profile.grpcMeta && Object.keys(profile.grpcMeta).length > 0 && { metadata: { ...profile.grpcMeta } }),
  });
}

/** The options object both NativeConnection.connect and Connection.connect take. */
export function temporalConnectionOptions(connection: TemporalConnection): TemporalConnectionOptions {
  return {
    address: connection.address,
    ...(connection.tls !== undefined && { tls: connection.tls }),
    ...(connection.apiKey !== undefined && { apiKey: connection.apiKey }),
    ...(connection.metadata !== undefined && { metadata: { ...connection.metadata } }),
  };
}

/** For log lines: where, which namespace, and how it authenticates; never a key or a header value. */
export function describeTemporalConnection(connection: TemporalConnection): string {
  const tls = connection.tls;
  const parts = [`namespace ${connection.namespace}`];
  if (!tls) parts.push('plaintext');
  else if (tls === true) parts.push('TLS');
  else parts.push(['TLS', tls.clientCertPair && 'client certificate', tls.serverRootCACertificate && 'custom CA', tls.serverNameOverride && `server name ${tls.serverNameOverride}`].filter(Boolean).join(', '));
  if (connection.apiKey !== undefined) parts.push('API key');
  if (connection.metadata) parts.push(`gRPC headers ${Object.keys(connection.metadata).join(', ')}`);
  return `${connection.address} (${parts.join('; ')})`;
}

/** A copy whose API key is non-enumerable and which renders without key, private key or header values. */
export function sealConnection<T extends TemporalConnection>(connection: T): T {
  const { apiKey, ...visible } = connection;
  const sealed = { ...visible } as T;
  if (apiKey !== undefined) Object.defineProperty(sealed, 'apiKey', { value: apiKey, enumerable: false, writable: false, configurable: false });
  const view = (): Record<string, unknown> => ({
    ...visible,
    ...(typeof visible.tls === 'object' && {
      tls: {
        ...(visible.tls.serverNameOverride !== undefined && { serverNameOverride: visible.tls.serverNameOverride }),
        ...(visible.tls.serverRootCACertificate && { serverRootCACertificate: `[${visible.tls.serverRootCACertificate.length} bytes]` }),
        ...(visible.tls.clientCertPair && { clientCertPair: '[redacted]' }),
      },
    }),
    ...(apiKey !== undefined && { apiKey: '[redacted]' }),
    ...(visible.metadata && { metadata: Object.fromEntries(Object.keys(visible.metadata).map((key) => [key, '[redacted]'])) }),
  });
  Object.defineProperties(sealed, {
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: { value: view, enumerable: false },
  });
  return Object.freeze(sealed);
}

function withoutBlankOptionals(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (BLANK_MEANS_UNSET.includes(name) && value.trim() === '') continue;
    vars[name] = value;
  }
  return vars;
}

function describeSource(vars: Record<string, string>): string {
  const profile = vars.TEMPORAL_PROFILE ?? 'default';
  const file = vars.TEMPORAL_CONFIG_FILE ? 'TEMPORAL_CONFIG_FILE' : defaultConfigFile(vars);
  return `profile "${profile}" of ${file}`;
}

/** The Temporal CLI's config file, as envconfig locates it on Linux and macOS. */
function defaultConfigFile(vars: Record<string, string>): string {
  const home = vars.HOME ?? homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'temporalio', 'temporal.toml');
  return path.join(vars.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'temporalio', 'temporal.toml');
}

function loadProfile(vars: Record<string, string>, source: string): { profile: ClientConfigProfile; raw: TomlClientConfigProfile } {
  const file = vars.TEMPORAL_CONFIG_FILE;
  // envconfig treats a missing file as "no file"; a path someone set on purpose must exist.
  if (file !== undefined && !existsSync(file)) throw new TemporalConfigError('TEMPORAL_CONFIG_FILE', 'must name an existing TOML file');
  let raw: TomlClientConfigProfile;
  try {
    // The raw profile (file merged with env, as loadClientConfigProfile does) still shows keys the SDK drops.
    raw = tomlLoadClientConfigProfile({ overrideEnvVars: vars });
  } catch (err) {
    const error = err as Error & { line?: unknown; column?: unknown };
    if (typeof error.line === 'number') {
      // smol-toml's message quotes the offending line, which may hold an api_key: keep only where.
      throw new TemporalConfigError(file !== undefined ? 'TEMPORAL_CONFIG_FILE' : source, `is not valid TOML (line ${error.line}, column ${String(error.column)})`);
    }
    if (/^Profile '.*' not found/.test(error.message)) {
      throw new TemporalConfigError('TEMPORAL_PROFILE', `names a profile that is not in ${file !== undefined ? 'TEMPORAL_CONFIG_FILE' : defaultConfigFile(vars)}`);
    }
    throw new TemporalConfigError(source, error.message);
  }
  try {
    return { profile: fromTomlProfile(raw), raw };
  } catch (err) {
    // e.g. "Cannot specify both client_cert_path and client_cert_data" (file and env disagree)
    throw new TemporalConfigError(source, (err as Error).message);
  }
}

function requireNonEmpty(value: string, where: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new TemporalConfigError(where, 'must not be empty');
  return trimmed;
}

type Where = (key: ProfileKey) => string;

/**
 * mTLS needs a certificate and its key together, and each file must be readable PEM. envconfig
 * would silently drop a lone certificate and surface an unreadable file only as ENOENT.
 */
function checkTlsFiles(profile: ClientConfigProfile, where: Where): void {
  const tls = profile.tls!;
  const certWhere = whereFor(tls.clientCert, where, 'tls.client_cert_path', 'tls.client_cert_data');
  const keyWhere = whereFor(tls.clientKey, where, 'tls.client_key_path', 'tls.client_key_data');
  if (tls.clientCert && !tls.clientKey) throw new TemporalConfigError(certWhere, 'is set but no client key is (TEMPORAL_TLS_CLIENT_KEY_PATH): mTLS needs both');
  if (tls.clientKey && !tls.clientCert) throw new TemporalConfigError(keyWhere, 'is set but no client certificate is (TEMPORAL_TLS_CLIENT_CERT_PATH): mTLS needs both');
  if (tls.clientCert) checkPem(tls.clientCert, certWhere, /-----BEGIN CERTIFICATE-----/, 'a PEM certificate');
  if (tls.clientKey) checkPem(tls.clientKey, keyWhere, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key');
  if (tls.serverCACert) {
    const caWhere = whereFor(tls.serverCACert, where, 'tls.server_ca_cert_path', 'tls.server_ca_cert_data');
    checkPem(tls.serverCACert, caWhere, /-----BEGIN CERTIFICATE-----/, 'a PEM certificate');
  }
  if (tls.serverName !== undefined && tls.serverName.trim() === '') throw new TemporalConfigError(where('tls.server_name'), 'must not be empty');
}

function whereFor(source: ConfigDataSource | undefined, where: Where, pathKey: ProfileKey, dataKey: ProfileKey): string {
  return where(source && 'data' in source ? dataKey : pathKey);
}

function checkPem(source: ConfigDataSource, where: string, marker: RegExp, what: string): void {
  let text: string;
  if ('path' in source) {
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (err) {
      throw new TemporalConfigError(where, `must name a readable file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  } else {
    text = typeof source.data === 'string' ? source.data : Buffer.from(source.data).toString('utf8');
  }
  if (!marker.test(text)) throw new TemporalConfigError(where, `must be ${what}`);
}

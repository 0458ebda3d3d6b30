import { Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import {
  ConfigError,
  describeTemporalConnection,
  temporalConnectionFromEnv,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from '../../src/config/temporal-connection';
import { temporalConfigFromEnv } from '../../src/config/worker-config';

const dir = mkdtempSync(path.join(tmpdir(), 'temporal-tls-'));
const API_KEY = 'tmprl-api-key-very-secret';

/** A throwaway key pair and certificate (self-signed); the connection options only carry their bytes. */
function makeCert(name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-days', '1'], {
    stdio: 'ignore',
  });
  return { cert, key };
}

const client = makeCert('worker');
const ca = makeCert('temporal-ca');
const bytes = (file: string) => readFileSync(file);
const text = (value: Uint8Array | undefined) => Buffer.from(value ?? []).toString('utf8');
const PRIVATE_KEY_LINE = readFileSync(client.key, 'utf8').split('\n')[1]!;

/** Compares TLS bytes as text so a Buffer and a Uint8Array with the same content are equal. */
function comparable(options: TemporalConnectionOptions) {
  const tls = options.tls;
  return {
    ...options,
    ...(typeof tls === 'object' && {
      tls: {
        serverNameOverride: tls.serverNameOverride,
        serverRootCACertificate: tls.serverRootCACertificate && text(tls.serverRootCACertificate),
        clientCertPair: tls.clientCertPair && { crt: text(tls.clientCertPair.crt), key: text(tls.clientCertPair.key) },
      },
    }),
  };
}

function expectRedacted(rendered: string) {
  expect(rendered).not.toContain(API_KEY);
  expect(rendered).not.toContain(PRIVATE_KEY_LINE);
  expect(rendered).not.toContain('Bearer');
}

describe('defaults (nothing set, no config file)', () => {
  test('plaintext localhost:7233, namespace default, the merchant-remediation queue', () => {
    const config = temporalConfigFromEnv({});
    expect({ ...config }).toStrictEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'merchant-remediation' });
    expect(config.apiKey).toBeUndefined();
    expect(temporalConnectionOptions(config)).toStrictEqual({ address: 'localhost:7233' });
    expect(describeTemporalConnection(config)).toBe('localhost:7233 (namespace default; plaintext)');
  });

  test('blank optional variables (TEMPORAL_API_KEY= in a .env file) mean "not set"', () => {
    const config = temporalConnectionFromEnv({ TEMPORAL_API_KEY: '', TEMPORAL_TLS_CLIENT_CERT_PATH: ' ', TEMPORAL_PROFILE: '', TEMPORAL_CONFIG_FILE: '' });
    expect(temporalConnectionOptions(config)).toStrictEqual({ address: 'localhost:7233' });
  });
});

describe('TLS and API key from environment variables', () => {
  const env = {
    TEMPORAL_ADDRESS: 'payments.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'payments.a1b2c',
    TEMPORAL_API_KEY: API_KEY,
    TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: client.key,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca.cert,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    TEMPORAL_GRPC_META_X_TENANT: 'acme',
    TEMPORAL_TASK_QUEUE: 'remediation-eu',
  };

  test('are parsed and passed through to the connection options', () => {
    const config = temporalConfigFromEnv(env);
    expect(config).toMatchObject({ address: 'payments.a1b2c.tmprl.cloud:7233', namespace: 'payments.a1b2c', taskQueue: 'remediation-eu' });
    expect(comparable(temporalConnectionOptions(config))).toStrictEqual({
      address: 'payments.a1b2c.tmprl.cloud:7233',
      apiKey: API_KEY,
      metadata: { 'x-tenant': 'acme' },
      tls: {
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: text(bytes(ca.cert)),
        clientCertPair: { crt: text(bytes(client.cert)), key: text(bytes(client.key)) },
      },
    });
  });

  test('the SDK accepts the options: the client builds its TLS channel credentials from them', async () => {
    // Connection.lazy builds the gRPC TLS credentials (OpenSSL parses the PEMs) without dialling.
    const connection = Connection.lazy(temporalConnectionOptions(temporalConfigFromEnv(env)));
    expect(connection.options.credentials._isSecure()).toBe(true);
    expect(connection.options.channelArgs).toMatchObject({ 'grpc.ssl_target_name_override': 'temporal.internal' });
    await connection.close();
  });

  test('an API key alone turns TLS on with the system roots (Temporal Cloud)', () => {
    const config = temporalConnectionFromEnv({ TEMPORAL_ADDRESS: 'payments.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: API_KEY });
    expect(temporalConnectionOptions(config)).toStrictEqual({ address: 'payments.a1b2c.tmprl.cloud:7233', apiKey: API_KEY, tls: true });
    expect(describeTemporalConnection(config)).toBe('payments.a1b2c.tmprl.cloud:7233 (namespace default; TLS; API key)');
  });

  test('TEMPORAL_TLS=false keeps a plaintext connection even with an API key (a local proxy)', () => {
    const config = temporalConnectionFromEnv({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' });
    expect(temporalConnectionOptions(config)).toStrictEqual({ address: 'localhost:7233', apiKey: API_KEY, tls: false });
  });

  test('the API key, private key and header values are never rendered', () => {
    const config = temporalConfigFromEnv(env);
    expect(Object.keys(config)).not.toContain('apiKey');
    for (const rendered of [JSON.stringify(config), inspect(config, { depth: 5 }), `${String(config)}`, describeTemporalConnection(config)]) {
      expectRedacted(rendered);
      expect(rendered).not.toContain('acme');
    }
    expect(describeTemporalConnection(config)).toBe(
      'payments.a1b2c.tmprl.cloud:7233 (namespace payments.a1b2c; TLS, client certificate, custom CA, server name temporal.internal; API key; gRPC headers x-tenant)',
    );
    expect(JSON.parse(JSON.stringify(config))).toMatchObject({ apiKey: '[redacted]', tls: { clientCertPair: '[redacted]' }, metadata: { 'x-tenant': '[redacted]' } });
  });
});

describe('profiles from a TOML config file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE)', () => {
  const file = path.join(dir, 'temporal.toml');
  writeFileSync(
    file,
    [
      '[profile.default]',
      'address = "localhost:7233"',
      '',
      '[profile.prod]',
      'address = "temporal.prod.internal:7233"',
      'namespace = "payments"',
      `api_key = "${API_KEY}"`,
      '[profile.prod.tls]',
      `client_cert_path = "${client.cert}"`,
      `client_key_path = "${client.key}"`,
      `server_ca_cert_data = """\n${readFileSync(ca.cert, 'utf8')}"""`,
      'server_name = "temporal.prod.internal"',
      '',
      '[profile.broken]',
      'address = "temporal.prod.internal"',
      '',
    ].join('\n'),
  );

  test('the named profile is loaded, with certificate files and inline CA data', () => {
    const config = temporalConfigFromEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    expect(config).toMatchObject({ address: 'temporal.prod.internal:7233', namespace: 'payments', taskQueue: 'merchant-remediation' });
    expect(comparable(temporalConnectionOptions(config))).toStrictEqual({
      address: 'temporal.prod.internal:7233',
      apiKey: API_KEY,
      tls: {
        serverNameOverride: 'temporal.prod.internal',
        serverRootCACertificate: text(bytes(ca.cert)),
        clientCertPair: { crt: text(bytes(client.cert)), key: text(bytes(client.key)) },
      },
    });
  });

  test('environment variables override the profile, key by key', () => {
    const config = temporalConnectionFromEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'payments-eu' });
    expect(config).toMatchObject({ address: 'temporal.prod.internal:7233', namespace: 'payments-eu' });
    expect(config.apiKey).toBe(API_KEY);
  });

  test('without TEMPORAL_PROFILE the "default" profile is used', () => {
    expect(temporalConnectionOptions(temporalConnectionFromEnv({ TEMPORAL_CONFIG_FILE: file }))).toStrictEqual({ address: 'localhost:7233' });
  });
});

describe('mistakes stop start-up with a message naming the variable, never its value', () => {
  const toml = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const badToml = toml('bad.toml', `[profile.default]\napi_key = "${API_KEY}\naddress = 1\n`);
  const profileFile = toml('profiles.toml', '[profile.broken]\naddress = "temporal.prod.internal"\n');
  const hostVerification = toml('host-verification.toml', '[profile.default.tls]\ndisable_host_verification = true\n');

  test.each([
    { name: 'TEMPORAL_ADDRESS without a port', env: { TEMPORAL_ADDRESS: 'temporal.internal' }, message: /TEMPORAL_ADDRESS must be host:port/ },
    { name: 'TEMPORAL_ADDRESS empty', env: { TEMPORAL_ADDRESS: ' ' }, message: /TEMPORAL_ADDRESS must not be empty/ },
    { name: 'TEMPORAL_NAMESPACE empty', env: { TEMPORAL_NAMESPACE: '' }, message: /TEMPORAL_NAMESPACE must not be empty/ },
    { name: 'TEMPORAL_TASK_QUEUE empty', env: { TEMPORAL_TASK_QUEUE: '' }, message: /TEMPORAL_TASK_QUEUE must not be empty/ },
    {
      name: 'a bad address in a profile names the profile key',
      env: { TEMPORAL_CONFIG_FILE: profileFile, TEMPORAL_PROFILE: 'broken' },
      message: /address in profile "broken" of TEMPORAL_CONFIG_FILE must be host:port/,
    },
    { name: 'a client certificate without its key', env: { TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert }, message: /TEMPORAL_TLS_CLIENT_CERT_PATH is set but no client key is/ },
    { name: 'a client key without its certificate', env: { TEMPORAL_TLS_CLIENT_KEY_PATH: client.key }, message: /TEMPORAL_TLS_CLIENT_KEY_PATH is set but no client certificate is/ },
    {
      name: 'an unreadable key file',
      env: { TEMPORAL_TLS_CLIENT_CERT_PATH: client.cert, TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'missing.key') },
      message: /TEMPORAL_TLS_CLIENT_KEY_PATH must name a readable file \(ENOENT\)/,
    },
    {
      name: 'certificate and key swapped',
      env: { TEMPORAL_TLS_CLIENT_CERT_PATH: client.key, TEMPORAL_TLS_CLIENT_KEY_PATH: client.cert },
      message: /TEMPORAL_TLS_CLIENT_CERT_PATH must be a PEM certificate/,
    },
    { name: 'a CA that is not PEM', env: { TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'not a certificate' }, message: /TEMPORAL_TLS_SERVER_CA_CERT_DATA must be a PEM certificate/ },
    { name: 'TEMPORAL_TLS not a boolean', env: { TEMPORAL_TLS: 'yes' }, message: /TEMPORAL_TLS must be true or false/ },
    { name: 'host verification off (unsupported by the TypeScript SDK)', env: { TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' }, message: /TEMPORAL_TLS_DISABLE_HOST_VERIFICATION is not supported/ },
    {
      name: 'host verification off in a profile',
      env: { TEMPORAL_CONFIG_FILE: hostVerification },
      message: /tls.disable_host_verification in profile "default" of TEMPORAL_CONFIG_FILE is not supported/,
    },
    { name: 'TEMPORAL_CONFIG_FILE that does not exist', env: { TEMPORAL_CONFIG_FILE: path.join(dir, 'nope.toml') }, message: /TEMPORAL_CONFIG_FILE must name an existing TOML file/ },
    { name: 'TEMPORAL_PROFILE that is not in the file', env: { TEMPORAL_CONFIG_FILE: profileFile, TEMPORAL_PROFILE: 'staging' }, message: /TEMPORAL_PROFILE names a profile that is not in TEMPORAL_CONFIG_FILE/ },
    { name: 'a config file that is not TOML (its lines hold secrets: not quoted)', env: { TEMPORAL_CONFIG_FILE: badToml }, message: /TEMPORAL_CONFIG_FILE is not valid TOML \(line \d+, column \d+\)/ },
  ])('$name', ({ env, message }) => {
    let thrown: unknown;
    try {
      temporalConfigFromEnv({ TEMPORAL_API_KEY: API_KEY, ...env });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expectRedacted((thrown as Error).message);
    expect((thrown as Error).message).not.toContain(dir);
  });
});

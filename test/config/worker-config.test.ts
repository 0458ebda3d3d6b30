import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, workerConfigFromEnv } from '../../src/config/worker-config';
import { workerDeploymentOptionsFor } from '../../src/config/worker-deployment';
import { ACTIVITY_SHAPES, ACTIVITY_TIMEOUTS, HEARTBEAT_TIMEOUT_MS, LONGEST_REQUEST_MS, MAX_HTTP_TIMEOUTS_MS } from '../../src/domain/activity-timeouts';
import { MoovConfigError } from '../../src/moov';

const filesRoot = mkdtempSync(path.join(tmpdir(), 'files-root-'));
const valid = {
  FILES_ROOT: filesRoot,
  MOOV_BASE_URL: 'http://127.0.0.1:8910',
  MOOV_PUBLIC_KEY: 'pk_live_123',
  MOOV_SECRET_KEY: 'sk_live_very_secret',
};

test('defaults: local Temporal, default namespace, the merchant-remediation queue, 40 activities/s per Moov account, no queue-wide rate', () => {
  const config = workerConfigFromEnv(valid);
  // Own enumerable keys only: no TLS, no API key, no gRPC headers unless configured.
  expect({ ...config.temporal }).toStrictEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'merchant-remediation' });
  expect(config.temporal.apiKey).toBeUndefined();
  expect(config.accountRateLimit).toBe(40); // Moov's documented per-account limit
  expect(config.partnerRateLimit).toBeUndefined(); // no partner-wide cap
  expect(config.maxActivitiesPerSecond).toBeUndefined(); // no worker-set queue rate under the per-account one
  expect(config.identity).toBeUndefined(); // the SDK's <pid>@<hostname>
  expect(config.maxCachedWorkflows).toBeUndefined(); // the SDK sizes the cache from the heap
  expect(config.stickyScheduleToStartTimeoutMs).toBe(3000); // below the SDK's 10 s: a mass wake-up reaches the shared queue sooner
  expect(config.filesRoot).toBe(path.resolve(filesRoot));
  expect(config.moov.baseUrl).toBe('http://127.0.0.1:8910');
});

test('explicit values are used', () => {
  const config = workerConfigFromEnv({
    ...valid,
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_NAMESPACE: 'payments',
    TEMPORAL_TASK_QUEUE: 'remediation-eu',
    TEMPORAL_MAX_ACTIVITIES_PER_SECOND: '8',
    MOOV_ACCOUNT_RATE_LIMIT: '10',
    MOOV_PARTNER_RATE_LIMIT: '40',
    TEMPORAL_WORKER_IDENTITY: 'remediation-worker-7f9c@eu-1',
    TEMPORAL_MAX_CACHED_WORKFLOWS: '500',
    TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT_MS: '10000',
  });
  expect({ ...config.temporal }).toStrictEqual({ address: 'temporal.internal:7233', namespace: 'payments', taskQueue: 'remediation-eu' });
  expect(config.maxActivitiesPerSecond).toBe(8);
  expect(config.accountRateLimit).toBe(10);
  expect(config.partnerRateLimit).toBe(40);
  expect(config.identity).toBe('remediation-worker-7f9c@eu-1');
  expect(config.maxCachedWorkflows).toBe(500);
  expect(config.stickyScheduleToStartTimeoutMs).toBe(10000);
});

test('MOOV_PARTNER_ACCOUNT_ID: our partner account, trimmed; blank means unknown', () => {
  expect(workerConfigFromEnv({ ...valid, MOOV_PARTNER_ACCOUNT_ID: ' 0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d ' }).partnerAccountID).toBe('0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d');
  expect(workerConfigFromEnv({ ...valid, MOOV_PARTNER_ACCOUNT_ID: ' ' }).partnerAccountID).toBeUndefined();
  expect(workerConfigFromEnv(valid).partnerAccountID).toBeUndefined();
});

test('WORKFLOW_BUNDLE_PATH: blank means unset (a matching bundle beside the worker, else bundling at start)', () => {
  expect(workerConfigFromEnv({ ...valid, WORKFLOW_BUNDLE_PATH: '  ' }).workflowBundlePath).toBeUndefined();
  expect(workerConfigFromEnv({ ...valid, WORKFLOW_BUNDLE_PATH: '/b.js' }).workflowBundlePath).toBe('/b.js');
});

test('TEMPORAL_MAX_CACHED_WORKFLOWS: blank means the SDK default, 0 turns the cache off', () => {
  expect(workerConfigFromEnv({ ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: ' ' }).maxCachedWorkflows).toBeUndefined();
  expect(workerConfigFromEnv({ ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
});

test.each([
  { name: 'FILES_ROOT missing', env: { ...valid, FILES_ROOT: undefined }, error: ConfigError, message: /FILES_ROOT is required/ },
  { name: 'FILES_ROOT not a directory', env: { ...valid, FILES_ROOT: path.join(filesRoot, 'nope') }, error: ConfigError, message: /FILES_ROOT must be an existing directory/ },
  { name: 'TEMPORAL_ADDRESS without a port', env: { ...valid, TEMPORAL_ADDRESS: 'temporal.internal' }, error: ConfigError, message: /TEMPORAL_ADDRESS must be host:port/ },
  { name: 'TLS client certificate without its key', env: { ...valid, TEMPORAL_TLS_CLIENT_CERT_PATH: filesRoot }, error: ConfigError, message: /TEMPORAL_TLS_CLIENT_CERT_PATH is set but no client key/ },
  { name: 'cache size not whole', env: { ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: '2.5' }, error: ConfigError, message: /TEMPORAL_MAX_CACHED_WORKFLOWS must be a whole number/ },
  { name: 'cache size negative', env: { ...valid, TEMPORAL_MAX_CACHED_WORKFLOWS: '-1' }, error: ConfigError, message: /TEMPORAL_MAX_CACHED_WORKFLOWS must be 0 \(no cache\) or more/ },
  { name: 'sticky timeout zero', env: { ...valid, TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT_MS: '0' }, error: ConfigError, message: /TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT_MS must be a positive number of milliseconds/ },
  { name: 'partner account ID with a space inside', env: { ...valid, MOOV_PARTNER_ACCOUNT_ID: '0d8e0d6e e4a2' }, error: ConfigError, message: /MOOV_PARTNER_ACCOUNT_ID must be a Moov account ID \(letters, digits and dashes\)/ },
  { name: 'rate not a number', env: { ...valid, TEMPORAL_MAX_ACTIVITIES_PER_SECOND: 'fast' }, error: ConfigError, message: /TEMPORAL_MAX_ACTIVITIES_PER_SECOND/ },
  { name: 'account rate zero', env: { ...valid, MOOV_ACCOUNT_RATE_LIMIT: '0' }, error: ConfigError, message: /MOOV_ACCOUNT_RATE_LIMIT/ },
  { name: 'partner rate not a number', env: { ...valid, MOOV_PARTNER_RATE_LIMIT: 'lots' }, error: ConfigError, message: /MOOV_PARTNER_RATE_LIMIT/ },
  { name: 'FILES_LAYOUT unknown', env: { ...valid, FILES_LAYOUT: 'by-merchant' }, error: ConfigError, message: /^Invalid configuration: FILES_LAYOUT must be one of per-account, shared$/ },
  { name: 'deployment name with a dot', env: { ...valid, TEMPORAL_DEPLOYMENT_NAME: 'remediation.eu' }, error: ConfigError, message: /TEMPORAL_DEPLOYMENT_NAME must not contain '\.' or ':'/ },
  { name: 'build id Temporal reserves', env: { ...valid, TEMPORAL_WORKER_BUILD_ID: '__unversioned__' }, error: ConfigError, message: /TEMPORAL_WORKER_BUILD_ID must not start with __/ },
  { name: 'secret key without public key', env: { ...valid, MOOV_PUBLIC_KEY: undefined }, error: MoovConfigError, message: /MOOV_PUBLIC_KEY is required/ },
])('$name stops start-up with a message naming the variable', ({ env, error, message }) => {
  let thrown: unknown;
  try {
    workerConfigFromEnv(env);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(error);
  expect((thrown as Error).message).toMatch(message);
  expect((thrown as Error).message).not.toContain('sk_live_very_secret');
});

test('FILES_LAYOUT: per-account unless the shared layout is asked for explicitly', () => {
  expect(workerConfigFromEnv(valid).filesLayout).toBe('per-account');
  expect(workerConfigFromEnv({ ...valid, FILES_LAYOUT: ' ' }).filesLayout).toBe('per-account');
  expect(workerConfigFromEnv({ ...valid, FILES_LAYOUT: 'shared' }).filesLayout).toBe('shared');
});

describe('HTTP timeouts must fit inside the activities\' Temporal timeouts (src/domain/activity-timeouts.ts)', () => {
  test.each([
    ['MOOV_CONNECT_TIMEOUT_MS', MAX_HTTP_TIMEOUTS_MS.connect],
    ['MOOV_HEADERS_TIMEOUT_MS', MAX_HTTP_TIMEOUTS_MS.headers],
    ['MOOV_BODY_TIMEOUT_MS', MAX_HTTP_TIMEOUTS_MS.body],
  ])('%s above %i ms stops start-up, naming the variable', (variable, max) => {
    expect(() => workerConfigFromEnv({ ...valid, [variable]: String(max) })).not.toThrow();
    let thrown: unknown;
    try {
      workerConfigFromEnv({ ...valid, [variable]: String(max + 1) });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MoovConfigError);
    expect(thrown).toMatchObject({ variable });
    expect((thrown as Error).message).toBe(
      `Invalid Moov configuration: ${variable} must be at most ${max} ms: the activities' Temporal timeouts leave no room for a longer request`,
    );
  });

  test('every activity\'s start-to-close outlasts its requests at the largest allowed timeouts, and every activity heartbeats', () => {
    const longest = MAX_HTTP_TIMEOUTS_MS.connect + MAX_HTTP_TIMEOUTS_MS.headers + MAX_HTTP_TIMEOUTS_MS.body;
    expect(LONGEST_REQUEST_MS).toBe(longest);
    for (const [name, timeouts] of Object.entries(ACTIVITY_TIMEOUTS)) {
      const requests = ACTIVITY_SHAPES[name as keyof typeof ACTIVITY_SHAPES].moovRequests;
      expect([name, timeouts.startToCloseTimeoutMs > requests * longest]).toEqual([name, true]);
    }
    // An upload may list the account's files and then upload: two requests.
    expect(ACTIVITY_TIMEOUTS.uploadFile.startToCloseTimeoutMs).toBeGreaterThan(2 * longest);
    // Every activity heartbeats while it runs, so a dead worker is noticed within the heartbeat timeout.
    for (const [name, timeouts] of Object.entries(ACTIVITY_TIMEOUTS)) expect([name, timeouts.heartbeatTimeoutMs]).toEqual([name, HEARTBEAT_TIMEOUT_MS]);
  });
});

test('Worker Versioning: off without TEMPORAL_WORKER_BUILD_ID (blank too); with it, version <deployment name>/<build id>', () => {
  expect(workerDeploymentOptionsFor(workerConfigFromEnv(valid))).toBeUndefined();
  expect(workerDeploymentOptionsFor(workerConfigFromEnv({ ...valid, TEMPORAL_WORKER_BUILD_ID: ' ' }))).toBeUndefined();
  expect(workerDeploymentOptionsFor(workerConfigFromEnv({ ...valid, TEMPORAL_WORKER_BUILD_ID: 'git-3f2a9c1' }))).toEqual({
    useWorkerVersioning: true,
    version: { deploymentName: 'merchant-remediation', buildId: 'git-3f2a9c1' },
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  });
  const eu = workerConfigFromEnv({ ...valid, TEMPORAL_DEPLOYMENT_NAME: 'remediation-eu', TEMPORAL_WORKER_BUILD_ID: 'v7' });
  expect(workerDeploymentOptionsFor(eu)?.version).toEqual({ deploymentName: 'remediation-eu', buildId: 'v7' });
});

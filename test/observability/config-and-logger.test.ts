import { LogTimestamp } from '@temporalio/worker';
import { ConfigError } from '../../src/config/worker-config';
import { createLogger, observabilityConfigFromEnv, PinoTemporalLogger } from '../../src/observability';

describe('observabilityConfigFromEnv', () => {
  test('defaults: info logs, no metrics endpoint', () => {
    expect(observabilityConfigFromEnv({})).toEqual({ logLevel: 'info' });
    expect(observabilityConfigFromEnv({ LOG_LEVEL: ' ', METRICS_BIND_ADDRESS: '' })).toEqual({ logLevel: 'info' });
  });

  test('LOG_LEVEL is case-insensitive; METRICS_BIND_ADDRESS takes IPv4 and bracketed IPv6', () => {
    expect(observabilityConfigFromEnv({ LOG_LEVEL: 'DEBUG', METRICS_BIND_ADDRESS: '0.0.0.0:9464' })).toEqual({ logLevel: 'debug', metricsBindAddress: '0.0.0.0:9464' });
    expect(observabilityConfigFromEnv({ METRICS_BIND_ADDRESS: '[::]:9464' }).metricsBindAddress).toBe('[::]:9464');
  });

  test.each([
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent/],
    [{ METRICS_BIND_ADDRESS: 'localhost:9464' }, /METRICS_BIND_ADDRESS must be ip:port/],
    [{ METRICS_BIND_ADDRESS: '9464' }, /METRICS_BIND_ADDRESS/],
    [{ METRICS_BIND_ADDRESS: '0.0.0.0:99999' }, /METRICS_BIND_ADDRESS/],
  ])('%j is refused, naming the variable', (env, message) => {
    expect(() => observabilityConfigFromEnv(env)).toThrow(ConfigError);
    expect(() => observabilityConfigFromEnv(env)).toThrow(message);
  });
});

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { lines, logger, temporal: new PinoTemporalLogger(logger) };
}

describe('PinoTemporalLogger', () => {
  test('maps SDK levels, normalises the run id, drops the task token and the internal timestamp', () => {
    const { lines, temporal } = capture();
    temporal.debug('hidden at info');
    temporal.warn('Activity failed', {
      workflowRunId: 'run-1',
      taskToken: 'c2VjcmV0LXRva2Vu',
      activityType: 'uploadFile',
      attempt: 2,
      [LogTimestamp]: 123n,
    });
    temporal.log('ERROR', 'boom', { runId: 'run-2' });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'Activity failed', runId: 'run-1', activityType: 'uploadFile', attempt: 2, name: 'moov-remediation-worker' }),
      expect.objectContaining({ level: 'error', msg: 'boom', runId: 'run-2' }),
    ]);
    expect(lines[0]).not.toHaveProperty('taskToken');
    expect(lines[0]).not.toHaveProperty('workflowRunId');
  });

  test('redacts credentials and contact details wherever a caller puts them', () => {
    const { lines, temporal, logger } = capture();
    temporal.info('careless', {
      secretKey: 'sk_1',
      headers: { authorization: 'Basic abc' },
      auth: { kind: 'basic', publicKey: 'pk_1', secretKey: 'sk_2' },
      recipient: { email: 'a@b.example' },
      link: { recipient: '15555550100' },
      account: { profile: { email: 'c@d.example', phone: { number: '5555550101' } } },
    });
    logger.info({ MOOV_SECRET_KEY: 'sk_3', accessToken: 'tok' }, 'env dump');
    const text = JSON.stringify(lines);
    for (const secret of ['sk_1', 'sk_2', 'sk_3', 'pk_1', 'Basic abc', 'tok"', 'a@b.example', '15555550100', 'c@d.example', '5555550101']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ secretKey: '[redacted]', headers: { authorization: '[redacted]' }, recipient: '[redacted]' });
  });

  test("redacts in serialized errors and child loggers' bindings too, and leaves the caller's object as it was", () => {
    const { lines, logger, temporal } = capture();
    const meta = { auth: { secretKey: 'sk_4' }, list: [{ email: 'e@f.example' }], when: new Date(0) };
    temporal.warn('Activity failed', { error: Object.assign(new Error('bad'), { secretKey: 'sk_5' }), ...meta });
    logger.child({ email: 'g@h.example', step: 'upload' }).child({ phone: '5555550102' }).info('from a child');
    const text = JSON.stringify(lines);
    for (const secret of ['sk_4', 'sk_5', 'e@f.example', 'g@h.example', '5555550102']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ error: { message: 'bad', secretKey: '[redacted]' }, auth: '[redacted]', list: [{ email: '[redacted]' }], when: '1970-01-01T00:00:00.000Z' });
    expect(lines[1]).toMatchObject({ email: '[redacted]', step: 'upload', phone: '[redacted]', msg: 'from a child' });
    expect(meta.auth.secretKey).toBe('sk_4');
  });

  test('errors under `error` are serialized with type, message and stack', () => {
    const { lines, temporal } = capture();
    temporal.warn('Activity failed', { error: new TypeError('bad thing') });
    expect(lines[0]?.error).toMatchObject({ type: 'TypeError', message: 'bad thing', stack: expect.stringContaining('TypeError') });
  });
});

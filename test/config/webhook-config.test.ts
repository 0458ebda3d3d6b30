import { inspect } from 'node:util';
import { ConfigError } from '../../src/domain/config-error';
import { webhookConfigFromEnv } from '../../src/webhooks';

/** The receiver's settings (WEBHOOK_SETTINGS): defaults, the rotation list, and secrets that never render. */
const SECRETS = 'whsec_new_4b1d7c9e2a6f8031, whsec_old_0e5a3c7b9d1f4268';

test('defaults: loopback 8920, a 5-minute window, autostart off', () => {
  const config = webhookConfigFromEnv({ MOOV_WEBHOOK_SECRETS: 'whsec_only_one' });
  expect(config).toEqual({ bindAddress: { host: '127.0.0.1', port: 8920 }, timestampToleranceMs: 300_000, autostart: false });
  expect(config.secrets).toEqual(['whsec_only_one']);
});

test('every listed secret is kept, trimmed, in order; the settings are read as given', () => {
  const config = webhookConfigFromEnv({
    MOOV_WEBHOOK_SECRETS: SECRETS,
    WEBHOOK_BIND_ADDRESS: '[::]:9443',
    WEBHOOK_TIMESTAMP_TOLERANCE: '90 seconds',
    WEBHOOK_AUTOSTART: '1',
  });
  expect(config.secrets).toEqual(['whsec_new_4b1d7c9e2a6f8031', 'whsec_old_0e5a3c7b9d1f4268']);
  expect(config.bindAddress).toEqual({ host: '::', port: 9443 });
  expect(config.timestampToleranceMs).toBe(90_000);
  expect(config.autostart).toBe(true);
});

test('the secrets are not enumerable and render as a count, in JSON and util.inspect', () => {
  const config = webhookConfigFromEnv({ MOOV_WEBHOOK_SECRETS: SECRETS });
  for (const rendered of [JSON.stringify(config), inspect(config, { showHidden: false }), JSON.stringify({ ...config })]) {
    expect(rendered).not.toContain('whsec_');
  }
  expect(JSON.parse(JSON.stringify(config)).secrets).toBe('[2 redacted]');
});

test('a wrong secret list is a ConfigError that names the variable and shows none of it', () => {
  let error: unknown;
  try {
    webhookConfigFromEnv({ MOOV_WEBHOOK_SECRETS: 'whsec_secret_part_one,' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe('MOOV_WEBHOOK_SECRETS');
  expect((error as Error).message).not.toContain('whsec_secret_part_one');
});

test.each([
  ['a host name for WEBHOOK_BIND_ADDRESS', { WEBHOOK_BIND_ADDRESS: 'localhost:8920' }, 'WEBHOOK_BIND_ADDRESS must be ip:port'],
  ['a port out of range', { WEBHOOK_BIND_ADDRESS: '127.0.0.1:70000' }, 'WEBHOOK_BIND_ADDRESS must be ip:port'],
  ['WEBHOOK_TIMESTAMP_TOLERANCE soon', { WEBHOOK_TIMESTAMP_TOLERANCE: 'soon' }, 'WEBHOOK_TIMESTAMP_TOLERANCE must be a positive duration'],
  ['WEBHOOK_TIMESTAMP_TOLERANCE over an hour', { WEBHOOK_TIMESTAMP_TOLERANCE: '2 hours' }, 'WEBHOOK_TIMESTAMP_TOLERANCE must be at most 1 hour'],
  ['WEBHOOK_AUTOSTART yes', { WEBHOOK_AUTOSTART: 'yes' }, 'WEBHOOK_AUTOSTART must be true or false'],
])('%s is a ConfigError naming the variable', (_name, vars, message) => {
  expect(() => webhookConfigFromEnv({ MOOV_WEBHOOK_SECRETS: 'whsec_fine', ...vars })).toThrow(`Invalid configuration: ${message}`);
});

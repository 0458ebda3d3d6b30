import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { readSettings, setting, type Env, type SettingsOf } from '../domain/settings';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Temporal Core binds a socket address, so the host is an IP: `0.0.0.0:9464`, `127.0.0.1:9464`,
 * `[::]:9464`. The webhook receiver's address (src/webhooks) is checked the same way.
 */
export function isSocketAddress(value: string): boolean {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value);
  if (!match) return false;
  const port = Number(match[3]);
  const ipOk = match[1] !== undefined ? isIPv6(match[1]) : isIPv4(match[2]!);
  return ipOk && port <= 65535;
}

/** What the worker's logs and metrics need from the environment (src/domain/settings.ts). */
export const OBSERVABILITY_SETTINGS = {
  logLevel: setting({
    variable: 'LOG_LEVEL',
    default: 'info',
    parse: z.string().toLowerCase().pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
    usedBy: 'worker, `npm start`, webhook receiver',
    meaning:
      '`trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. The worker writes JSON lines to stdout (`npm start`: to `.temporal/worker.log`). See [Observability](#observability)',
  }),
  metricsBindAddress: setting({
    variable: 'METRICS_BIND_ADDRESS',
    parse: z.string().refine(isSocketAddress, 'must be ip:port, e.g. 0.0.0.0:9464 or [::]:9464').optional(),
    defaultText: '— (off)',
    usedBy: 'worker, `npm start`, webhook receiver',
    meaning: "`ip:port` of a Prometheus endpoint (`/metrics`), e.g. `0.0.0.0:9464`: Temporal's metrics and the project's own. See [Observability](#observability)",
  }),
};

export type ObservabilityConfig = SettingsOf<typeof OBSERVABILITY_SETTINGS>;

/** Parses `LOG_LEVEL` and `METRICS_BIND_ADDRESS`; a bad value is a ConfigError naming the variable. */
export function observabilityConfigFromEnv(env: Env = process.env): ObservabilityConfig {
  return readSettings(OBSERVABILITY_SETTINGS, env);
}

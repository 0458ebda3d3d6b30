import { isIPv4, isIPv6 } from 'node:net';
import { ConfigError } from '../config/worker-config';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** What the worker's logs and metrics need from the environment. */
export interface ObservabilityConfig {
  /** `LOG_LEVEL`, default `info`. */
  logLevel: LogLevelName;
  /** `METRICS_BIND_ADDRESS` (`host:port`); unset or empty means no metrics endpoint. */
  metricsBindAddress?: string;
}

/** Temporal Core binds a socket address, so the host is an IP: `0.0.0.0:9464`, `127.0.0.1:9464`, `[::]:9464`. */
function isSocketAddress(value: string): boolean {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value);
  if (!match) return false;
  const port = Number(match[3]);
  const ipOk = match[1] !== undefined ? isIPv6(match[1]) : isIPv4(match[2]!);
  return ipOk && port <= 65535;
}

/** Parses `LOG_LEVEL` and `METRICS_BIND_ADDRESS`; a bad value is a ConfigError naming the variable. */
export function observabilityConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ObservabilityConfig {
  const level = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`Invalid configuration: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const bind = env.METRICS_BIND_ADDRESS?.trim();
  if (bind && !isSocketAddress(bind)) {
    throw new ConfigError('Invalid configuration: METRICS_BIND_ADDRESS must be ip:port, e.g. 0.0.0.0:9464 or [::]:9464');
  }
  return { logLevel: level as LogLevelName, ...(bind && { metricsBindAddress: bind }) };
}

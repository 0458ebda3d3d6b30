import type { DataConverter } from '@temporalio/common';
import { dataConverterFromEnv } from '../codec/data-converter';
import type { Env } from '../domain/settings';
import { temporalConfigFromEnv, type TemporalConnectionConfig } from './worker-config';

/** What a client (the CLI) reads from its environment: where Temporal is, and how payloads are encrypted. */
export interface ClientConfig {
  temporal: TemporalConnectionConfig;
  /** Absent: plaintext payloads. */
  dataConverter?: DataConverter;
}

/**
 * Read whole before connecting: a bad TEMPORAL_CODEC_KEYS is a ConfigError naming it, not a
 * connection that failed.
 */
export function clientConfigFromEnv(env: Env = process.env): ClientConfig {
  const temporal = temporalConfigFromEnv(env);
  const dataConverter = dataConverterFromEnv(env);
  return { temporal, ...(dataConverter && { dataConverter }) };
}

import { Runtime, makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker';
import type pino from 'pino';
import type { LogLevelName } from './config';
import { PinoTemporalLogger } from './logger';
import { METRICS, MOOV_LATENCY_BUCKETS_MS } from '../domain/metric-names';

export interface InstallRuntimeOptions {
  /** Everything the SDK logs (worker, activities, workflows, Core) goes here as JSON. */
  logger: pino.Logger;
  /** `ip:port` for the Prometheus endpoint (`/metrics`); none when absent. */
  metricsBindAddress?: string;
}

/** Core's own (Rust) log filter: its INFO and DEBUG are internals; warnings and errors matter. */
function coreLevel(level: string): 'WARN' | 'ERROR' {
  return level === 'error' || level === 'fatal' || level === 'silent' ? 'ERROR' : 'WARN';
}

/** The Runtime options for the worker's logs and metrics (exported for tests and tooling). */
export function runtimeOptions({ logger, metricsBindAddress }: InstallRuntimeOptions): RuntimeOptions {
  return {
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: {
      logging: {
        filter: makeTelemetryFilterString({ core: coreLevel(logger.level as LogLevelName), other: 'ERROR' }),
        forward: {},
      },
      ...(metricsBindAddress && {
        metrics: {
          prometheus: {
            bindAddress: metricsBindAddress,
            histogramBucketOverrides: { [METRICS.moovRequestLatency]: MOOV_LATENCY_BUCKETS_MS },
          },
        },
      }),
    },
  };
}

/**
 * Installs the process's Temporal Runtime: the SDK's logs through pino and, when an address is
 * given, a Prometheus endpoint serving Temporal's metrics and the project's own (METRICS). Must
 * run before any connection, worker or test environment is created (once per process).
 */
export function installRuntime(options: InstallRuntimeOptions): Runtime {
  try {
    return Runtime.install(runtimeOptions(options));
  } catch (err) {
    if (options.metricsBindAddress && /address|bind|in use/i.test((err as Error).message)) {
      throw new Error(`METRICS_BIND_ADDRESS ${options.metricsBindAddress}: cannot serve metrics there (${(err as Error).message})`);
    }
    throw err;
  }
}

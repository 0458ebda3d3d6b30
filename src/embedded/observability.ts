import path from 'node:path';
import pino from 'pino';
import { createLogger, installRuntime, observabilityConfigFromEnv } from '../observability';
import { PROJECT_ROOT, PROJECT_TEMPORAL_DIR } from '../temporal-servers/locate';

/** Where `npm start`'s in-process worker writes its JSON log lines (truncated at each start). */
export const EMBEDDED_WORKER_LOG = path.join(PROJECT_TEMPORAL_DIR, 'worker.log');

/**
 * `npm start`'s Runtime: the worker logs through the same JSON logger as `npm run worker`, but
 * into a file, so the demo's progress lines stay readable; errors also go to stderr. With
 * METRICS_BIND_ADDRESS the demo serves the same Prometheus endpoint. Returns lines for the user.
 */
export function installEmbeddedObservability(env: NodeJS.ProcessEnv = process.env): { lines: string[]; logger: pino.Logger } {
  const config = observabilityConfigFromEnv(env);
  const file = pino.destination({ dest: EMBEDDED_WORKER_LOG, mkdir: true, append: false, sync: true });
  const destination = pino.multistream([
    { level: config.logLevel, stream: file },
    { level: 'error', stream: process.stderr },
  ]);
  const logger = createLogger({ level: config.logLevel, destination });
  installRuntime({ logger, ...(config.metricsBindAddress && { metricsBindAddress: config.metricsBindAddress }) });
  const lines = [
    `Worker logs:         ${path.relative(PROJECT_ROOT, EMBEDDED_WORKER_LOG)} (JSON lines at LOG_LEVEL=${config.logLevel}, the webhook receiver's too; errors also on stderr)`,
    ...(config.metricsBindAddress ? [`Metrics:             http://${config.metricsBindAddress}/metrics (Prometheus)`] : []),
  ];
  return { lines, logger };
}

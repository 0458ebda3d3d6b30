import { Client, Connection } from '@temporalio/client';
import { clientConfigFromEnv } from '../config/client-config';
import { describeTemporalConnection, temporalConnectionOptions } from '../config/temporal-connection';
import { ConfigError } from '../domain/config-error';
import type { Env } from '../domain/settings';
import { createLogger, installRuntime, observabilityConfigFromEnv } from '../observability';
import { DEFAULT_SCHEDULE_ID } from '../sweep-client';
import { webhookConfigFromEnv } from './config';
import { startWebhookReceiver, WEBHOOK_PATH, type WebhookReceiver } from './receiver';

export interface RunningWebhookReceiver {
  receiver: WebhookReceiver;
  /** Stops taking deliveries, finishes those in hand, then closes the Temporal connection and the Runtime (metrics). */
  close(): Promise<void>;
}

/**
 * `npm run webhooks`: the Moov webhook receiver. Every setting is read before anything starts, so
 * a bad one is a ConfigError naming it (exit 2, as the CLI does). The Temporal connection is the
 * CLI's (profile file and TEMPORAL_*, codec keys), but lazy: the receiver listens even while
 * Temporal is down and answers 503, which Moov retries, instead of not answering at all.
 */
export async function runWebhookReceiver(env: Env = process.env): Promise<RunningWebhookReceiver> {
  const settings = webhookConfigFromEnv(env);
  const { temporal, dataConverter } = clientConfigFromEnv(env);
  const { logLevel, metricsBindAddress } = observabilityConfigFromEnv(env);
  const logger = createLogger({ level: logLevel });
  const runtime = installRuntime({ logger, ...(metricsBindAddress && { metricsBindAddress }) });

  const connection = Connection.lazy(temporalConnectionOptions(temporal));
  const client = new Client({ connection, namespace: temporal.namespace, ...(dataConverter && { dataConverter }) });
  const receiver = await startWebhookReceiver({
    host: settings.bindAddress.host,
    port: settings.bindAddress.port,
    secrets: settings.secrets,
    timestampToleranceMs: settings.timestampToleranceMs,
    autostart: settings.autostart,
    client,
    taskQueue: temporal.taskQueue,
    logger,
    meter: runtime.metricMeter,
    scheduleId: DEFAULT_SCHEDULE_ID,
  });
  logger.info(
    { temporal: describeTemporalConnection(temporal), taskQueue: temporal.taskQueue, secrets: settings.secrets.length, autostart: settings.autostart, metricsBindAddress },
    `Moov webhook receiver listening on ${receiver.url}${WEBHOOK_PATH}`,
  );
  connection.ensureConnected().then(
    () => logger.info(`connected to Temporal at ${describeTemporalConnection(temporal)}`),
    (err: unknown) => logger.warn({ err }, 'Temporal is not reachable yet: deliveries are answered 503 (Moov retries) until it is'),
  );
  return {
    receiver,
    async close() {
      await receiver.close();
      await connection.close();
      await runtime.shutdown();
    },
  };
}

if (require.main === module) {
  runWebhookReceiver().then(
    (running) => {
      let stopping = false;
      const stop = () => {
        // A second Ctrl-C does not wait for the deliveries in hand.
        if (stopping) process.exit(1);
        stopping = true;
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(err instanceof ConfigError ? 2 : 1);
    },
  );
}

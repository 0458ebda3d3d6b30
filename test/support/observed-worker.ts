import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { freePort } from '../../src/net/ports';
import { moovConfigFromEnv } from '../../src/moov';
import { createLogger, installRuntime } from '../../src/observability';
import { DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle } from '../../src/sandbox';
import { createRemediationWorker, workerMoovClient } from '../../src/worker';
import { watchRemediationsWaitingForMoov, type WaitingForMoovGauge } from '../../src/observability/moov-outage-metrics';
import { makeFilesRoot } from './demo-files';
import { SandboxAdmin } from './sandbox-admin';
import { createDevServerEnv } from './temporal-env';

/**
 * The worker wired exactly as `npm run worker` wires it (the project's Runtime with pino logs and,
 * optionally, the Prometheus endpoint; the Moov client's exchange observer; the worker's activity
 * interceptor) against a real dev server and the sandbox. Log lines are captured in memory.
 *
 * `Runtime.install` works once per module registry, so each test file using this must call it
 * once, before anything else touches Temporal (test/support/quiet-runtime.ts only sets defaults).
 */
export interface ObservedWorker {
  runtime: Runtime;
  env: TestWorkflowEnvironment;
  client: Client;
  sandbox: SandboxHandle;
  admin: SandboxAdmin;
  taskQueue: string;
  filesRoot: string;
  /** `http://127.0.0.1:<port>/metrics` when metrics are on. */
  metricsUrl?: string;
  /** Every line the worker's logger wrote so far (call `flushLogs` first for the latest). */
  lines: string[];
  /** remediations_waiting_for_moov, as the worker reports it; refresh() counts now. */
  waitingForMoov: WaitingForMoovGauge;
  flushLogs(): void;
  close(): Promise<void>;
}

export interface ObservedWorkerOptions {
  metrics?: boolean;
  /** Moov Basic credentials the sandbox accepts and the client sends. */
  credentials: { publicKey: string; secretKey: string };
}

export async function startObservedWorker(options: ObservedWorkerOptions): Promise<ObservedWorker> {
  const lines: string[] = [];
  let partial = '';
  const destination = {
    write(chunk: string) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line.length > 0));
    },
  };
  const logger = createLogger({ level: 'info', destination });
  const metricsBindAddress = options.metrics ? `127.0.0.1:${await freePort('127.0.0.1')}` : undefined;
  const runtime = installRuntime({ logger, ...(metricsBindAddress && { metricsBindAddress }) });

  const env = await createDevServerEnv();
  const sandbox = await startSandbox({ port: 0, rateLimitRps: 0, credentials: options.credentials });
  // The client `npm run worker` builds: observed, paced, with its circuit breaker.
  const moov = workerMoovClient(moovConfigFromEnv({ MOOV_BASE_URL: sandbox.url, MOOV_PUBLIC_KEY: options.credentials.publicKey, MOOV_SECRET_KEY: options.credentials.secretKey }), {}, runtime);
  const filesRoot = await makeFilesRoot();
  const taskQueue = `observed-${randomUUID()}`;
  const worker: Worker = await createRemediationWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, moov, filesRoot, partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID });
  const running = worker.run();
  const waitingForMoov = watchRemediationsWaitingForMoov(env.client, runtime.metricMeter, runtime.logger);
  let closed = false;
  return {
    runtime,
    env,
    client: env.client,
    sandbox,
    admin: new SandboxAdmin(sandbox.url),
    taskQueue,
    filesRoot,
    ...(metricsBindAddress && { metricsUrl: `http://${metricsBindAddress}/metrics` }),
    lines,
    waitingForMoov,
    flushLogs: () => runtime.flushLogs(),
    async close() {
      if (closed) return;
      closed = true;
      waitingForMoov.stop();
      worker.shutdown();
      await running;
      runtime.flushLogs();
      await moov.close();
      await sandbox.close();
      await env.teardown();
      await rm(filesRoot, { recursive: true, force: true });
    },
  };
}

/** Prometheus text exposition → `{ 'name{label="v",…}': value }` (label order as served). */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include every given label (other labels ignored). */
export function sampleSum(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    const metric = brace === -1 ? key : key.slice(0, brace);
    if (metric !== name) continue;
    const found = new Map([...(brace === -1 ? '' : key.slice(brace)).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found.get(k) === v)) sum += value;
  }
  return sum;
}

import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import type { FilesLayout } from './activities/files-layout';
import { heartbeatInterceptor } from './activities/heartbeat-interceptor';
import { encryptedDataConverter } from './codec';
import { describeTemporalConnection, temporalConnectionOptions } from './config/temporal-connection';
import { DEFAULT_MAX_ACTIVITIES_PER_SECOND, assertTimeoutsFitActivities, workerConfigFromEnv, type WorkerConfig } from './config/worker-config';
import { MoovClient } from './moov';
import { createLogger, installRuntime, moovExchangeObserver, observabilityActivityInterceptor, observabilityConfigFromEnv, type ObservabilityConfig } from './observability';
import { resolveWorkflowSource, workflowBundlePathFromEnv, workflowCodeOptions, workflowCodeSpecOf } from './workflow-code';

export interface RemediationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  moov: MoovClient;
  filesRoot: string;
  /** This partner's Moov account ID (MOOV_PARTNER_ACCOUNT_ID): our own resolution links are adopted, not waited on. */
  partnerAccountID?: string;
  /** FILES_LAYOUT; default `per-account`: a remediation reads files only from FILES_ROOT/<accountID>/. */
  filesLayout?: FilesLayout;
  maxActivitiesPerSecond?: number;
  /** Sticky cache size (workflows kept in memory between tasks); default: the SDK's, sized from the heap. */
  maxCachedWorkflows?: number;
  /** The worker's name in histories (ActivityTaskStarted `identity`); the SDK's default is `<pid>@<hostname>`. */
  identity?: string;
  /** Extra SDK interceptors (observability, tests). */
  interceptors?: WorkerOptions['interceptors'];
  /** Payload encryption (see src/codec): clients must use the same one. Absent: plaintext payloads. */
  dataConverter?: WorkerOptions['dataConverter'];
  /**
   * A prebuilt workflow bundle (`npm run build:bundle`; WORKFLOW_BUNDLE_PATH for runWorker), which
   * must match this worker. Default: a matching dist/workflow-bundle.js beside the compiled worker,
   * else the workflows are bundled at start (see src/workflow-code.ts).
   */
  workflowBundlePath?: string;
}

/** A worker for the remediation task queue; the caller owns the connection and Moov client. */
export function createRemediationWorker(options: RemediationWorkerOptions): Promise<Worker> {
  // The activities' Temporal timeouts leave room for requests up to these (src/domain/activity-timeouts.ts).
  assertTimeoutsFitActivities(options.moov.timeouts);
  const workerOptions = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({
      moov: options.moov,
      filesRoot: options.filesRoot,
      ...(options.filesLayout && { filesLayout: options.filesLayout }),
      ...(options.partnerAccountID !== undefined && { partnerAccountID: options.partnerAccountID }),
    }),
    // Server-enforced across all workers on the queue, so scaling out does not multiply Moov traffic.
    maxTaskQueueActivitiesPerSecond: options.maxActivitiesPerSecond ?? DEFAULT_MAX_ACTIVITIES_PER_SECOND,
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.identity && { identity: options.identity }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    interceptors: {
      ...options.interceptors,
      // accountID on activity log lines; retry and wait-hint counters (no-ops when metrics are off).
      // Every activity heartbeats while it runs: a dead worker's call is retried after the heartbeat timeout.
      activity: [observabilityActivityInterceptor(Runtime.instance().metricMeter), heartbeatInterceptor(), ...(options.interceptors?.activity ?? [])],
    },
  } satisfies WorkerOptions;
  // The bundle must carry what runs in the workflow sandbox (failure converter, workflow interceptors).
  const source = resolveWorkflowSource(workflowCodeSpecOf(workerOptions), options.workflowBundlePath);
  const log = Runtime.instance().logger;
  if (source.kind === 'bundle') log.info(`workflow code: prebuilt bundle ${source.codePath}`, { workflowBundle: source.codePath });
  else if (source.reason) log.warn(`workflow code: bundling ${source.workflowsPath} at start: ${source.reason}`, { workflowsPath: source.workflowsPath });
  return Worker.create({ ...workerOptions, ...workflowCodeOptions(source) });
}

/** `npm run worker`: runs until SIGINT/SIGTERM, then drains in-flight tasks and closes cleanly. */
export async function runWorker(
  config: WorkerConfig = workerConfigFromEnv(),
  observability: ObservabilityConfig = observabilityConfigFromEnv(),
): Promise<void> {
  // JSON logs (LOG_LEVEL) and the Prometheus endpoint (METRICS_BIND_ADDRESS): before any connection.
  const logger = createLogger({ level: observability.logLevel });
  const runtime = installRuntime({ logger, ...(observability.metricsBindAddress && { metricsBindAddress: observability.metricsBindAddress }) });
  if (observability.metricsBindAddress) logger.info({ metricsBindAddress: observability.metricsBindAddress }, 'serving Prometheus metrics at /metrics');
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const moov = new MoovClient(config.moov, { onExchange: moovExchangeObserver({ meter: runtime.metricMeter, logger: runtime.logger }) });
  try {
    const worker = await createRemediationWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      moov,
      filesRoot: config.filesRoot,
      ...(config.partnerAccountID !== undefined && { partnerAccountID: config.partnerAccountID }),
      filesLayout: config.filesLayout,
      maxActivitiesPerSecond: config.maxActivitiesPerSecond,
      ...(config.maxCachedWorkflows !== undefined && { maxCachedWorkflows: config.maxCachedWorkflows }),
      ...(config.identity && { identity: config.identity }),
      ...(config.codec && { dataConverter: encryptedDataConverter(config.codec) }),
      workflowBundlePath: workflowBundlePathFromEnv(),
    });
    logger.info(
      { identity: worker.options.identity, taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace },
      `worker ${worker.options.identity} polling task queue ${config.temporal.taskQueue} on ${describeTemporalConnection(config.temporal)}`,
    );
    await worker.run();
  } finally {
    await moov.close();
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}

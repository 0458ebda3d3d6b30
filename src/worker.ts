import { Client } from '@temporalio/client';
import type { Logger, MetricMeter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { s3BucketSource } from './activities/documents/s3-bucket';
import { createDocumentsS3Client } from './activities/documents/s3-client';
import { heartbeatInterceptor } from './activities/heartbeat-interceptor';
import { encryptedDataConverter } from './codec';
import { warnOnMissingSearchAttributes } from './config/search-attribute-check';
import { applyTaskQueuePacingOrWarn } from './config/task-queue-config';
import { describeTemporalConnection, temporalConnectionOptions } from './config/temporal-connection';
import { WORKER_SETTINGS, assertTimeoutsFitActivities, moovAvailabilitySettingsOf, moovLimitsOf, workerConfigFromEnv, type WorkerConfig, type WorkerSettings } from './config/worker-config';
import { workerDeploymentOptionsFor } from './config/worker-deployment';
import { defaultCacheSizing } from './config/worker-memory';
import { defaultsOf, definedOnly } from './domain/settings';
import { MoovAvailability, MoovClient, RequestPacer, pacedRate, type MoovClientConfig } from './moov';
import { createLogger, installRuntime, moovExchangeObserver, observabilityActivityInterceptor, observabilityConfigFromEnv, type ObservabilityConfig } from './observability';
import { moovAvailabilityObserver, watchRemediationsWaitingForMoov } from './observability/moov-outage-metrics';
import { loadWorkflowCode, resolveWorkflowSource, workflowCodeSpecOf } from './workflow-code';

/**
 * The worker's settings (WORKER_SETTINGS: what `npm run worker` reads from its environment; in
 * code, what is left out gets the table's default) and what its caller owns.
 */
export interface RemediationWorkerOptions extends Partial<Omit<WorkerSettings, 'filesRoot'>>, Pick<WorkerSettings, 'filesRoot'> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  moov: MoovClient;
  /** Extra SDK interceptors (observability, tests). */
  interceptors?: WorkerOptions['interceptors'];
  /** Payload encryption (see src/codec): clients must use the same one. Absent: plaintext payloads. */
  dataConverter?: WorkerOptions['dataConverter'];
}

/**
 * A worker for the remediation task queue; the caller owns the connection and Moov client. Before
 * it polls, it sets the task queue's pacing on the server (MOOV_ACCOUNT_RATE_LIMIT per Moov
 * account, MOOV_PARTNER_RATE_LIMIT for the queue: src/config/task-queue-config.ts), or warns.
 */
export async function createRemediationWorker(options: RemediationWorkerOptions): Promise<Worker> {
  const settings = { ...defaultsOf(WORKER_SETTINGS), ...definedOnly(options) };
  // The activities' Temporal timeouts leave room for requests up to these (src/domain/activity-timeouts.ts).
  assertTimeoutsFitActivities(options.moov.timeouts);
  const deployment = workerDeploymentOptionsFor(settings);
  const log = Runtime.instance().logger;
  // The server's sustained rates are the pacer's (pacedRate: the limit less its margin), so the
  // requests the pacer holds back are only the server's bursts, never a queue that keeps growing.
  const limits = moovLimitsOf(settings);
  const serverPacing = {
    accountRateLimit: pacedRate(limits.accountPerSecond),
    ...(limits.partnerPerSecond !== undefined && { partnerRateLimit: pacedRate(limits.partnerPerSecond) }),
  };
  const pacing = await applyTaskQueuePacingOrWarn(
    options.connection,
    { namespace: options.namespace, taskQueue: options.taskQueue, ...(settings.identity && { identity: settings.identity }) },
    serverPacing,
    log,
  );
  // A server without the config API still gets the partner cap, the old way (a worker-set queue
  // rate); beside TEMPORAL_MAX_ACTIVITIES_PER_SECOND, the stricter of the two.
  const fallback = pacing.outcome === 'unavailable' ? serverPacing.partnerRateLimit : undefined;
  const rates = [settings.maxActivitiesPerSecond, fallback].filter((rate): rate is number => rate !== undefined);
  const queueRate = rates.length > 0 ? Math.min(...rates) : undefined;
  // The sticky cache: TEMPORAL_MAX_CACHED_WORKFLOWS, else sized from the memory budget (src/config/worker-memory.ts).
  const sizing = settings.maxCachedWorkflows === undefined ? defaultCacheSizing(settings.memoryBudgetMiB) : undefined;
  const maxCachedWorkflows = settings.maxCachedWorkflows ?? sizing!.maxCachedWorkflows;
  log.info(
    sizing
      ? `sticky cache: ${maxCachedWorkflows} workflows (memory budget ${sizing.budgetMiB} MiB from ${sizing.budgetFrom})`
      : `sticky cache: ${maxCachedWorkflows} workflows (TEMPORAL_MAX_CACHED_WORKFLOWS)`,
    { maxCachedWorkflows, ...(sizing && { memoryBudgetMiB: sizing.budgetMiB, memoryBudgetFrom: sizing.budgetFrom }) },
  );
  const workerOptions = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({
      moov: options.moov,
      ...(options.filesRoot !== undefined && { filesRoot: options.filesRoot }),
      // DOCUMENTS_URL: documents from object storage instead of FILES_ROOT.
      ...(settings.documentsUrl && {
        documents: s3BucketSource({
          client: createDocumentsS3Client({
            ...(settings.documentsS3Endpoint !== undefined && { endpoint: settings.documentsS3Endpoint }),
            ...(settings.documentsS3ForcePathStyle !== undefined && { forcePathStyle: settings.documentsS3ForcePathStyle }),
          }),
          location: settings.documentsUrl,
        }),
      }),
      ...(settings.filesLayout && { filesLayout: settings.filesLayout }),
      ...(settings.partnerAccountID !== undefined && { partnerAccountID: settings.partnerAccountID }),
    }),
    // Server-enforced across all workers on the queue, so scaling out does not multiply Moov traffic.
    ...(queueRate !== undefined && { maxTaskQueueActivitiesPerSecond: queueRate }),
    // Eager activity dispatch hands an activity straight to the worker that scheduled it, never
    // through the task queue, so no queue or fairness-key rate applies to it (Core turned it off
    // only while a worker-set queue rate was given: sdk-core's max_task_queue_activities_per_second).
    // Off, every activity is paced by the server.
    maxEagerActivityReservationsPerWorkflowTask: 0,
    maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities,
    maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: settings.stickyScheduleToStartTimeoutMs,
    ...(settings.identity && { identity: settings.identity }),
    // With a build id the server routes each run's tasks to its deployment version (docs/deploying.md).
    ...(deployment && { workerDeploymentOptions: deployment }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    interceptors: {
      ...options.interceptors,
      // accountID on activity log lines; retry and wait-hint counters (no-ops when metrics are off).
      // Every activity heartbeats while it runs: a dead worker's call is retried after the heartbeat timeout.
      activity: [observabilityActivityInterceptor(Runtime.instance().metricMeter), heartbeatInterceptor(), ...(options.interceptors?.activity ?? [])],
    },
  } satisfies WorkerOptions;
  // The bundle must carry what runs in the workflow sandbox (failure converter, workflow interceptors).
  const spec = workflowCodeSpecOf(workerOptions);
  const source = resolveWorkflowSource(spec, settings.workflowBundlePath);
  if (source.kind === 'bundle') log.info(`workflow code: prebuilt bundle ${source.codePath}`, { workflowBundle: source.codePath });
  else if (source.reason) log.warn(`workflow code: bundling ${source.workflowsPath} at start: ${source.reason}`, { workflowsPath: source.workflowsPath });
  return Worker.create({ ...workerOptions, ...(await loadWorkflowCode(source, spec)) });
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
  const moov = workerMoovClient(config.moov, config, runtime);
  const onShutdown: (() => void)[] = [];
  try {
    // One Operator API call: names the search attributes the namespace lacks (and how to register
    // them) before a remediation fails its workflow task on one; only warns (docs/deploying.md).
    await warnOnMissingSearchAttributes(connection, config.temporal.namespace, runtime.logger);
    const { temporal, moov: _moovConfig, codec, ...settings } = config;
    // remediations_waiting_for_moov: counted in visibility, so the figure is the fleet's (docs/observability.md).
    const waitingForMoov = watchRemediationsWaitingForMoov(new Client({ connection, namespace: temporal.namespace }), runtime.metricMeter, runtime.logger);
    onShutdown.push(() => waitingForMoov.stop());
    const worker = await createRemediationWorker({
      ...settings,
      connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      moov,
      ...(codec && { dataConverter: encryptedDataConverter(codec) }),
    });
    const version = worker.options.workerDeploymentOptions?.version;
    logger.info(
      { identity: worker.options.identity, taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, ...(version && { deploymentVersion: version }) },
      `worker ${worker.options.identity} polling task queue ${config.temporal.taskQueue} on ${describeTemporalConnection(config.temporal)}` +
        (version ? ` as deployment version ${version.deploymentName}/${version.buildId}` : ' (unversioned)'),
    );
    await worker.run();
  } finally {
    for (const stop of onShutdown) stop();
    await moov.close();
    await connection.close();
  }
}

/**
 * The Moov client as the worker runs it: every exchange counted and logged; paced under Moov's
 * limits, no account (or partner, with a cap) above its limit in any second
 * (src/moov/request-pacer.ts); held back while Moov fails every call (src/moov/availability.ts).
 */
export function workerMoovClient(moovConfig: MoovClientConfig, settings: Partial<WorkerSettings>, runtime: { metricMeter: MetricMeter; logger: Logger }): MoovClient {
  const availability = moovAvailabilitySettingsOf(settings);
  return new MoovClient(moovConfig, {
    onExchange: moovExchangeObserver({ meter: runtime.metricMeter, logger: runtime.logger }),
    pacer: new RequestPacer(moovLimitsOf(settings)),
    ...(availability && { availability: new MoovAvailability(availability, { onChange: moovAvailabilityObserver(runtime.metricMeter, runtime.logger) }) }),
  });
}

if (require.main === module) {
  runWorker().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}

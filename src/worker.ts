import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { encryptedDataConverter } from './codec';
import { describeTemporalConnection, temporalConnectionOptions } from './config/temporal-connection';
import { workerConfigFromEnv, type WorkerConfig } from './config/worker-config';
import { MoovClient } from './moov';

export interface RemediationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  moov: MoovClient;
  filesRoot: string;
  maxActivitiesPerSecond?: number;
  /** The worker's name in histories (ActivityTaskStarted `identity`); the SDK's default is `<pid>@<hostname>`. */
  identity?: string;
  /** Extra SDK interceptors (observability, tests). */
  interceptors?: WorkerOptions['interceptors'];
  /** Payload encryption (see src/codec): clients must use the same one. Absent: plaintext payloads. */
  dataConverter?: WorkerOptions['dataConverter'];
}

/** A worker for the remediation task queue; the caller owns the connection and Moov client. */
export function createRemediationWorker(options: RemediationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities({ moov: options.moov, filesRoot: options.filesRoot }),
    // Server-enforced across all workers on the queue, so scaling out does not multiply Moov traffic.
    maxTaskQueueActivitiesPerSecond: options.maxActivitiesPerSecond ?? 35,
    ...(options.identity && { identity: options.identity }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...(options.interceptors && { interceptors: options.interceptors }),
  });
}

/** `npm run worker`: runs until SIGINT/SIGTERM, then drains in-flight tasks and closes cleanly. */
export async function runWorker(config: WorkerConfig = workerConfigFromEnv()): Promise<void> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const moov = new MoovClient(config.moov);
  try {
    const worker = await createRemediationWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      moov,
      filesRoot: config.filesRoot,
      maxActivitiesPerSecond: config.maxActivitiesPerSecond,
      ...(config.identity && { identity: config.identity }),
      ...(config.codec && { dataConverter: encryptedDataConverter(config.codec) }),
    });
    console.log(
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

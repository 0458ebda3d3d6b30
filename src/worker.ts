import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { workerConfigFromEnv, type WorkerConfig } from './config/worker-config';
import { MoovClient } from './moov';

export interface RemediationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  moov: MoovClient;
  filesRoot: string;
  maxActivitiesPerSecond?: number;
  /** Extra SDK interceptors (observability, tests). */
  interceptors?: WorkerOptions['interceptors'];
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
    ...(options.interceptors && { interceptors: options.interceptors }),
  });
}

/** `npm run worker`: runs until SIGINT/SIGTERM, then drains in-flight tasks and closes cleanly. */
export async function runWorker(config: WorkerConfig = workerConfigFromEnv()): Promise<void> {
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const moov = new MoovClient(config.moov);
  try {
    const worker = await createRemediationWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      moov,
      filesRoot: config.filesRoot,
      maxActivitiesPerSecond: config.maxActivitiesPerSecond,
    });
    console.log(
      `worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address} (namespace ${config.temporal.namespace})`,
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

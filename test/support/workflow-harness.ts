import type { Info } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActivityInboundCallsInterceptor, ActivityExecuteInput, Next, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { RequestTimeouts } from '../../src/moov/client';
import { DEFAULT_PARTNER_ACCOUNT_ID, startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox';
import { createRemediationWorker } from '../../src/worker';
import { makeFilesRoot } from './demo-files';
import { SandboxAdmin } from './sandbox-admin';
import { createDevServerEnv, createTimeSkippingEnv } from './temporal-env';
import { sandboxMoovClient } from './sandbox-moov-client';

/** One activity attempt as the worker saw it; `startedAtMs` is the Temporal server's (skipped) clock. */
export interface AttemptRecord {
  activityType: string;
  attempt: number;
  startedAtMs: number;
  workflowId: string;
  runId: string;
}

/**
 * Everything a workflow test needs, all real: the time-skipping Temporal server, the Moov
 * sandbox over loopback, the project's MoovClient and activities, and a worker running them.
 */
export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  sandbox: SandboxHandle;
  admin: SandboxAdmin;
  taskQueue: string;
  filesRoot: string;
  attempts: AttemptRecord[];
  close(): Promise<void>;
}

/** `time-skipping` for workflow logic over days; `dev` (the real dev server) for Schedules and visibility. */
export async function startWorkflowHarness(
  server: 'time-skipping' | 'dev' = 'time-skipping',
  sandboxOptions: SandboxOptions = {},
  moovTimeouts: Partial<RequestTimeouts> = {},
): Promise<WorkflowHarness> {
  const env = server === 'dev' ? await createDevServerEnv() : await createTimeSkippingEnv();
  // The rate limiter is exercised by its own tests; here it would only add noise.
  const sandbox = await startSandbox({ port: 0, rateLimitRps: 0, ...sandboxOptions });
  const moov = sandboxMoovClient(sandbox.url, moovTimeouts);
  const filesRoot = await makeFilesRoot();
  const taskQueue = `remediation-test-${randomUUID()}`;
  const attempts: AttemptRecord[] = [];
  const worker: Worker = await createRemediationWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    moov,
    filesRoot,
    partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID,
    interceptors: { activity: [(ctx) => ({ inbound: new AttemptRecorder(ctx.info, attempts, () => env.currentTimeMs()) })] },
  });
  const running = worker.run();
  return {
    env,
    sandbox,
    admin: new SandboxAdmin(sandbox.url),
    taskQueue,
    filesRoot,
    attempts,
    async close() {
      worker.shutdown();
      await running;
      await moov.close();
      await sandbox.close();
      await env.teardown();
      await rm(filesRoot, { recursive: true, force: true });
    },
  };
}

class AttemptRecorder implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly info: Info,
    private readonly log: AttemptRecord[],
    private readonly serverNow: () => Promise<number>,
  ) {}

  /** The test server skips retry backoff, so its clock (not the wall clock) shows how long each wait was. */
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    this.log.push({
      activityType: this.info.activityType,
      attempt: this.info.attempt,
      startedAtMs: await this.serverNow(),
      workflowId: this.info.workflowExecution?.workflowId ?? '',
      runId: this.info.workflowExecution?.runId ?? '',
    });
    return next(input);
  }
}

import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { applyTaskQueuePacing, applyTaskQueuePacingOrWarn, pacingOf, taskQueueConfigCommand } from '../../src/config/task-queue-config';
import { pacedRate, type MoovClient } from '../../src/moov';
import { makeFilesRoot } from '../support/demo-files';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { sandboxWorker } from '../support/sandbox-worker';
import { createDevServerEnv, createTimeSkippingEnv } from '../support/temporal-env';
import { eventually } from '../support/eventually';

/**
 * The worker's start-up step that sets the task queue's pacing (src/config/task-queue-config.ts):
 * on the dev server it writes both limits and a later start without the partner cap removes it;
 * on a server without the API (the time-skipping test server) it warns with the command that would
 * apply it, and the worker starts with the partner cap as its own queue rate. Eager activity
 * dispatch, which skips the task queue and its limits, is off either way.
 */

jest.setTimeout(60_000);

let filesRoot: string;
let moov: MoovClient;

beforeAll(async () => {
  filesRoot = await makeFilesRoot();
  moov = sandboxMoovClient('http://127.0.0.1:9'); // never called: no workflow runs here
});

afterAll(async () => {
  await moov?.close();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
});

describe('on the dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  }, 60_000);
  afterAll(async () => env?.teardown());

  const describeConfig = async (taskQueue: string) =>
    pacingOf(
      (
        await env.connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
          reportConfig: true,
        })
      ).config,
    );

  test('the worker sets the per-account rate and the partner cap; a start without the cap removes it', async () => {
    const taskQueue = `tq-config-${randomUUID()}`;
    const worker = await sandboxWorker(env, { taskQueue, moov, filesRoot, accountRateLimit: 10, partnerRateLimit: 40 });
    // The limits less the pacer's margin (the server's rate is the pacer's: src/moov/request-pacer.ts);
    // the API holds floats, so 9.75 reads back as 9.75 and 39 as 39.
    const applied = await describeConfig(taskQueue);
    expect(applied.accountRateLimit).toBeCloseTo(pacedRate(10), 5);
    expect(applied.partnerRateLimit).toBeCloseTo(pacedRate(40), 5);
    // Applied by the server, so the worker sets no queue rate of its own, and dispatches nothing eagerly.
    expect(worker.options.maxTaskQueueActivitiesPerSecond).toBeUndefined();
    expect(worker.options.maxEagerActivityReservationsPerWorkflowTask).toBe(0);
    // TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT_MS's default reaches the SDK (its own is 10 s).
    expect(worker.options.stickyQueueScheduleToStartTimeoutMs).toBe(3000);
    await worker.runUntil(async () => undefined); // releases its hold on the connection

    const outcome = await applyTaskQueuePacing(env.connection, { namespace: 'default', taskQueue }, { accountRateLimit: 40 });
    expect(outcome).toEqual({ outcome: 'applied', config: { accountRateLimit: 40 } });
    // The update answers with the new config at once; a describe reads the queue's copy, which the
    // server updates moments later (seen stale once in CI under load).
    const removed = await eventually('the config without the cap to read back', async () => {
      const config = await describeConfig(taskQueue);
      return config.partnerRateLimit === undefined ? config : undefined;
    }, 10_000);
    expect(removed).toEqual({ accountRateLimit: 40 });
  });
});

describe('on a server without the task queue config API (the time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  }, 60_000);
  afterAll(async () => env?.teardown());

  test('the worker warns with the command that would apply it, and starts with the partner cap as its own queue rate', async () => {
    const taskQueue = `tq-config-${randomUUID()}`;
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => void warnings.push(message) };
    const outcome = await applyTaskQueuePacingOrWarn(env.connection, { namespace: 'default', taskQueue }, { accountRateLimit: 40, partnerRateLimit: 30 }, logger);
    expect(outcome.outcome).toBe('unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`could not configure the pacing of task queue ${taskQueue}`);
    expect(warnings[0]).toContain(taskQueueConfigCommand({ namespace: 'default', taskQueue }, { accountRateLimit: 40, partnerRateLimit: 30 }));
    expect(taskQueueConfigCommand({ namespace: 'default', taskQueue }, { accountRateLimit: 40, partnerRateLimit: 30 })).toBe(
      `temporal task-queue config set --namespace default --task-queue ${taskQueue} --task-queue-type activity --fairness-key-rps-limit-default 40 --queue-rps-limit 30`,
    );

    const worker = await sandboxWorker(env, { taskQueue, moov, filesRoot, partnerRateLimit: 30 });
    expect(worker.options.maxTaskQueueActivitiesPerSecond).toBeCloseTo(pacedRate(30), 5);
    expect(worker.options.maxEagerActivityReservationsPerWorkflowTask).toBe(0);
    await worker.runUntil(async () => undefined);
  });
});

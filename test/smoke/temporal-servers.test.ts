import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { CrashableDevServer } from '../support/crashable-dev-server';
import { createDevServerEnv, createTimeSkippingEnv } from '../support/temporal-env';
import { MOOV_ACCOUNT_ID } from '../../src/domain/search-attributes';
import * as activities from './support/activities';
import { greetAfterADay, greetNow } from './support/workflows';

/** A worker for the smoke workflows and activities on a fresh task queue of `env`. */
async function createSmokeWorker(env: TestWorkflowEnvironment): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `smoke-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./support/workflows'),
    activities,
  });
  return { worker, taskQueue };
}

async function runGreeting(env: TestWorkflowEnvironment): Promise<string> {
  const { worker, taskQueue } = await createSmokeWorker(env);
  return worker.runUntil(
    env.client.workflow.execute(greetAfterADay, { taskQueue, workflowId: `smoke-${randomUUID()}`, args: ['moov'] }),
  );
}

describe('real Temporal servers', () => {
  test('time-skipping test server skips a day-long timer and runs the workflow', async () => {
    const env = await createTimeSkippingEnv();
    try {
      const before = await env.currentTimeMs();
      await expect(runGreeting(env)).resolves.toBe('HELLO MOOV');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    } finally {
      await env.teardown();
    }
  });

  test('dev server runs a workflow and keeps the project search attributes on it', async () => {
    const env = await createDevServerEnv();
    try {
      const { worker, taskQueue } = await createSmokeWorker(env);
      const accountID = randomUUID();
      const handle = await env.client.workflow.start(greetNow, {
        taskQueue,
        workflowId: `smoke-${randomUUID()}`,
        args: ['dev'],
        typedSearchAttributes: [{ key: MOOV_ACCOUNT_ID, value: accountID }],
      });
      await expect(worker.runUntil(handle.result())).resolves.toBe('HELLO DEV');
      const description = await handle.describe();
      expect(description.status.name).toBe('COMPLETED');
      expect(description.typedSearchAttributes.get(MOOV_ACCOUNT_ID)).toBe(accountID);
    } finally {
      await env.teardown();
    }
  });

  test('dev server SIGKILLed and restarted on its database keeps a started workflow; the client reconnects', async () => {
    const server = await CrashableDevServer.start();
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const taskQueue = `smoke-${randomUUID()}`;
      // Started with no worker polling: only the database can carry it across the crash.
      const handle = await client.workflow.start(greetNow, { taskQueue, workflowId: `smoke-${randomUUID()}`, args: ['after crash'] });
      await server.crashAndRestart();
      expect(server.crashes).toBe(1);
      const workerConnection = await NativeConnection.connect({ address: server.address });
      try {
        const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowsPath: require.resolve('./support/workflows'), activities });
        await expect(worker.runUntil(handle.result())).resolves.toBe('HELLO AFTER CRASH');
      } finally {
        await workerConnection.close();
      }
    } finally {
      await connection.close();
      await server.stop();
    }
  });
});

import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CrashableDevServer } from '../support/crashable-dev-server';
import { eventually } from '../support/eventually';
import { createDevServerEnv, createTimeSkippingEnv } from '../support/temporal-env';
import { MOOV_ACCOUNT_ID } from '../../src/domain/search-attributes';
import { freePort } from '../../src/net/ports';
import { startDevServer } from '../../src/temporal-servers/dev-server';
import { ensureServers } from '../../src/temporal-servers/install';
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

  test("dev server on a database kept from before RemediationPhaseChangedAt (npm start's): registers it at start", async () => {
    const { 'dev-server': exe } = await ensureServers(['dev-server']);
    if (!('path' in exe)) throw new Error('this test runs the Temporal CLI itself; install it with npm run temporal:install');
    const dir = await mkdtemp(path.join(tmpdir(), 'temporal-db-'));
    const dbFilename = path.join(dir, 'temporal.db');
    const port = await freePort('127.0.0.1');
    const address = `127.0.0.1:${port}`;
    const list = async () => {
      const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
      try {
        return (await connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {};
      } finally {
        await connection.close();
      }
    };
    let before: ReturnType<typeof spawn> | undefined;
    try {
      // The database as an earlier checkout's npm start created it: the two attributes of then.
      const earlier = spawn(exe.path, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFilename,
        '--search-attribute', 'MoovAccountID=Keyword', '--search-attribute', 'RemediationPhase=Keyword', '--log-level', 'error'], { stdio: 'ignore' });
      before = earlier;
      const exited = new Promise((resolve) => earlier.once('exit', resolve));
      expect(Object.keys(await eventually('the earlier server to serve', () => list()))).toEqual(expect.arrayContaining(['MoovAccountID', 'RemediationPhase']));
      expect(Object.keys(await list())).not.toContain('RemediationPhaseChangedAt');
      earlier.kill('SIGTERM');
      await exited;

      // The CLI's --search-attribute leaves a kept database as it is; startDevServer adds what it lacks.
      const lines: string[] = [];
      const server = await startDevServer({ port, headless: true, dbFilename, log: (line) => lines.push(line) });
      try {
        expect(Object.keys(await list())).toEqual(expect.arrayContaining(['MoovAccountID', 'RemediationPhase', 'RemediationPhaseChangedAt']));
        expect(lines).toContainEqual(expect.stringMatching(/^registered search attribute\(s\) RemediationPhaseChangedAt \(Datetime\) on namespace default/));
      } finally {
        await server.stop();
      }
    } finally {
      if (before && before.exitCode === null && before.signalCode === null) before.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

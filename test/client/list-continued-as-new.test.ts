import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { listRemediations, remediationListQuery, type RemediationListEntry } from '../../src/client';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE } from '../../src/domain/search-attributes';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { freePort } from '../../src/net/ports';
import { startDevServer, type DevServerHandle } from '../../src/temporal-servers/dev-server';
import { eventually } from '../support/eventually';

/**
 * A remediation that continued as new is one remediation: `listRemediations` lists its latest
 * run, never the closed runs before it. On a real dev server, with a stand-in workflow of the
 * remediation's type whose first run continues as new at once.
 */
let devServer: DevServerHandle;
let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `list-can-${randomUUID()}`;

beforeAll(async () => {
  devServer = await startDevServer({ port: await freePort('127.0.0.1'), headless: true });
  connection = await Connection.connect({ address: devServer.address });
  client = new Client({ connection });
  workerConnection = await NativeConnection.connect({ address: devServer.address });
  worker = await Worker.create({ connection: workerConnection, taskQueue, workflowsPath: require.resolve('./support/continuing-remediation') });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await workerConnection?.close();
  await connection?.close();
  await devServer?.stop();
}, 60_000);

async function listed(query: string): Promise<string[]> {
  const runIds: string[] = [];
  for await (const execution of client.workflow.list({ query })) runIds.push(execution.runId);
  return runIds;
}

test('a continued-as-new remediation is listed once: its latest run', async () => {
  const accountID = randomUUID();
  const handle = await client.workflow.start('merchantRemediation', {
    taskQueue,
    workflowId: remediationWorkflowId(accountID),
    args: [1],
    typedSearchAttributes: [
      { key: MOOV_ACCOUNT_ID, value: accountID },
      { key: REMEDIATION_PHASE, value: 'awaiting-merchant' },
    ],
  });
  const firstRunId = handle.firstExecutionRunId;
  // Both runs visible: the first closed as continued-as-new, the second running.
  const latestRunId = await eventually('both runs to be visible', async () => {
    const runIds = await listed(`WorkflowId = "${handle.workflowId}"`);
    return runIds.length === 2 ? runIds.find((runId) => runId !== firstRunId) : undefined;
  });

  const entries: RemediationListEntry[] = [];
  for await (const entry of listRemediations(client, { account: accountID })) entries.push(entry);

  expect(entries).toEqual([expect.objectContaining({ accountID, runId: latestRunId, phase: 'awaiting-merchant', status: 'RUNNING' })]);
  // Started with the phase alone, as runs recorded before RemediationPhaseChangedAt: no time, not a made-up one.
  expect(entries[0]).not.toHaveProperty('phaseChangedAt');
  // The search attribute alone matches both runs: the status clause is what drops the first.
  expect(await listed(`${MOOV_ACCOUNT_ID.name} = "${accountID}"`)).toHaveLength(2);
  expect(await listed(remediationListQuery({ account: accountID }))).toEqual([latestRunId]);
  await handle.terminate('test over');
});

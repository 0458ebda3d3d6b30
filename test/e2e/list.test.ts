import { Client, Connection } from '@temporalio/client';
import { getRemediationStatus, listRemediations, remediationListQuery, startRemediation, type RemediationListEntry } from '../../src/client';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { eventually, runCli, sandboxAdmin, startE2E, type E2E } from './support/harness';

/**
 * `list`: the CLI (a child process) reads remediations from the dev server's visibility, running
 * and closed, every page of them. Five remediations on the sandbox: three waiting for another
 * party's active link, one completed, one cancelled. This file's dev server holds nothing else.
 */
let e2e: E2E;
const waiting: string[] = [];
let completed: { accountID: string; runId: string };
let cancelled: string;

async function startFor(accountID: string, options: { followThrough?: boolean } = {}) {
  return startRemediation(e2e.client, { accountID, resolutionLink: { recipient: { email: 'owner@e2e.example' } }, options }, { taskQueue: e2e.taskQueue });
}

async function startWaiting(): Promise<string> {
  const accountID = await sandboxAdmin.createAccount(e2e);
  await sandboxAdmin.seedForeignLink(e2e, accountID);
  await startFor(accountID);
  await eventually(`${accountID} to wait for the foreign link`, async () =>
    (await getRemediationStatus(e2e.client, accountID)).phase === 'waiting-for-active-link' ? true : undefined,
  );
  return accountID;
}

async function listAll(filter: Parameters<typeof listRemediations>[1] = {}, client: Client = e2e.client): Promise<RemediationListEntry[]> {
  const entries: RemediationListEntry[] = [];
  for await (const entry of listRemediations(client, filter)) entries.push(entry);
  return entries;
}

const view = (entries: RemediationListEntry[]) => entries.map((e) => [e.accountID, e.phase, e.status]).sort();
const expectedView = () =>
  [
    ...waiting.map((accountID) => [accountID, 'waiting-for-active-link', 'RUNNING']),
    [completed.accountID, 'completed', 'COMPLETED'],
    [cancelled, 'cancelled', 'CANCELLED'],
  ].sort();

beforeAll(async () => {
  e2e = await startE2E();
  waiting.push(...(await Promise.all([startWaiting(), startWaiting(), startWaiting()])));

  const completedAccount = await sandboxAdmin.createAccount(e2e);
  const done = await startFor(completedAccount, { followThrough: false });
  expect(((await done.handle.result()) as RemediationStatus).phase).toBe('completed');
  completed = { accountID: completedAccount, runId: done.runId };

  cancelled = await startWaiting();
  const cancelledHandle = e2e.client.workflow.getHandle(remediationWorkflowId(cancelled));
  await cancelledHandle.cancel();
  await expect(cancelledHandle.result()).rejects.toThrow();

  // Visibility is updated asynchronously: wait until it shows every remediation's last phase.
  await eventually('visibility to show all five remediations in their last phase', async () =>
    JSON.stringify(view(await listAll())) === JSON.stringify(expectedView()) ? true : undefined,
  );
}, 180_000);

afterAll(async () => {
  for (const accountID of waiting) await e2e?.client.workflow.getHandle(remediationWorkflowId(accountID)).cancel();
  await e2e?.stop();
}, 60_000);

function parseJson<T>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`CLI stdout is not JSON: ${stdout}`);
  }
}

test('listRemediations asks for page after page until the last one', async () => {
  const connection = await Connection.connect({ address: e2e.devServer.address });
  try {
    // Counts the real visibility calls of this connection (the calls still go to the server).
    const listCalls = jest.spyOn(connection.workflowService, 'listWorkflowExecutions');
    const entries = await listAll({ pageSize: 2 }, new Client({ connection }));
    expect(view(entries)).toEqual(expectedView());
    // 5 remediations, 2 a page: 3 pages (the server may add an empty last one), each asked with the page size.
    expect(listCalls.mock.calls.length).toBeGreaterThanOrEqual(3);
    for (const [request] of listCalls.mock.calls) expect(request).toMatchObject({ pageSize: 2, query: remediationListQuery() });
  } finally {
    await connection.close();
  }
});

test('list --page-size 2 --json reads every page: all five, with run ids and times', async () => {
  // The server honours the page size: one page holds 2 of the 5 and points at the next.
  const firstPage = await e2e.client.connection.workflowService.listWorkflowExecutions({ namespace: 'default', query: remediationListQuery(), pageSize: 2 });
  expect(firstPage.executions).toHaveLength(2);
  expect(firstPage.nextPageToken?.length).toBeGreaterThan(0);

  const result = await runCli(e2e, ['list', '--page-size', '2', '--json']);

  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const entries = parseJson<RemediationListEntry[]>(result.stdout);
  expect(view(entries)).toEqual(expectedView());
  const done = entries.find((e) => e.accountID === completed.accountID)!;
  expect(done).toMatchObject({ workflowId: remediationWorkflowId(completed.accountID), runId: completed.runId });
  expect(Date.parse(done.closedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  for (const accountID of waiting) expect(entries.find((e) => e.accountID === accountID)?.closedAt).toBeUndefined();
  // Running first (the server's default order), then the closed ones.
  expect(entries.slice(0, 3).map((e) => e.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
});

test('--json says when each phase was set: RemediationPhaseChangedAt, between the start and the close', async () => {
  const entries = parseJson<RemediationListEntry[]>((await runCli(e2e, ['list', '--json'])).stdout);

  expect(entries).toHaveLength(5);
  for (const entry of entries) {
    expect(entry.phaseChangedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(entry.phaseChangedAt!)).toBeGreaterThanOrEqual(Date.parse(entry.startedAt));
    // A closed remediation set its last phase (its outcome) just before it closed.
    if (entry.closedAt) expect(Date.parse(entry.phaseChangedAt!)).toBeLessThanOrEqual(Date.parse(entry.closedAt));
  }
  // Each waiting one entered the wait once its other steps were done, after its own start, and
  // the wait is its current phase: the status query agrees that it is waiting since then.
  for (const accountID of waiting) {
    const entry = entries.find((e) => e.accountID === accountID)!;
    const status = await getRemediationStatus(e2e.client, accountID);
    expect(status.phase).toBe('waiting-for-active-link');
    expect(Date.parse(entry.phaseChangedAt!)).toBeGreaterThanOrEqual(Date.parse(status.waitingFor!.since));
  }
  // Visibility holds the attribute as a Datetime: a range query on it finds all five.
  const since = Math.min(...entries.map((e) => Date.parse(e.startedAt)));
  const ranged = await e2e.client.connection.workflowService.listWorkflowExecutions({
    namespace: 'default',
    query: `${remediationListQuery()} AND RemediationPhaseChangedAt >= "${new Date(since).toISOString()}"`,
  });
  expect(ranged.executions).toHaveLength(5);
});

test('list prints a table: account, phase, status, started, closed, last change', async () => {
  const [result, json] = await Promise.all([runCli(e2e, ['list']), runCli(e2e, ['list', '--json'])]);

  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^account\s+phase\s+status\s+started\s+closed\s+last change$/);
  expect(lines.at(-1)).toBe('5 remediation(s)');
  const row = (accountID: string) => lines.find((line) => line.startsWith(accountID))?.split(/\s+/);
  // `last change` is the phase's time to the second.
  const changedAt = (accountID: string) =>
    parseJson<RemediationListEntry[]>(json.stdout).find((e) => e.accountID === accountID)!.phaseChangedAt!.replace(/\.\d+Z$/, 'Z');
  const second = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const accountID of waiting) expect(row(accountID)).toEqual([accountID, 'waiting-for-active-link', 'RUNNING', second, '-', changedAt(accountID)]);
  expect(row(completed.accountID)).toEqual([completed.accountID, 'completed', 'COMPLETED', second, second, changedAt(completed.accountID)]);
  expect(row(cancelled)).toEqual([cancelled, 'cancelled', 'CANCELLED', second, second, changedAt(cancelled)]);
});

test('--phase and --account narrow the list', async () => {
  const byPhase = await runCli(e2e, ['list', '--phase', 'waiting-for-active-link', '--json']);
  expect(parseJson<RemediationListEntry[]>(byPhase.stdout).map((e) => e.accountID).sort()).toEqual([...waiting].sort());

  const byAccount = await runCli(e2e, ['list', '--account', completed.accountID, '--json']);
  expect(view(parseJson<RemediationListEntry[]>(byAccount.stdout))).toEqual([[completed.accountID, 'completed', 'COMPLETED']]);

  const both = await runCli(e2e, ['list', '--account', completed.accountID, '--phase', 'waiting-for-active-link']);
  expect(both.code).toBe(0);
  expect(both.stdout).toBe('No remediations match.\n');
});

test('a quote in --account stays inside the value: it matches nothing instead of widening the query', async () => {
  const result = await runCli(e2e, ['list', '--account', 'x" OR WorkflowType = "merchantRemediation', '--json']);

  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(parseJson<RemediationListEntry[]>(result.stdout)).toEqual([]);
});

test.each([
  [['--phase', 'stuck'], /option '--phase <phase>' argument 'stuck' is invalid\. Allowed choices are starting, uploading-files, creating-link, waiting-for-active-link, .*, cancelled\./],
  [['--page-size', '0'], /--page-size must be a positive whole number \(got "0"\)/],
])('list %j exits 2 naming the flag, before connecting', async (args, message) => {
  const result = await runCli(e2e, ['list', ...args], { TEMPORAL_ADDRESS: '127.0.0.1:9' });

  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain('cannot connect');
  expect(result.stdout).toBe('');
});

import type { Client } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { connectClient, startRemediation } from '../../src/client';
import { checkSearchAttributes, searchAttributeWarning } from '../../src/config/search-attribute-check';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT, SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { ensureServers } from '../../src/temporal-servers/install';
import { makeFilesRoot } from '../support/demo-files';
import { eventually } from '../support/eventually';
import { SandboxAdmin } from '../support/sandbox-admin';
import { createDevServerEnv } from '../support/temporal-env';
import { WorkerProcess, sandboxWorkerEnv } from '../support/worker-process';

/**
 * docs/deploying.md's upgrade to RemediationPhaseChangedAt, on a real dev server whose namespace
 * was set up before it existed (MoovAccountID and RemediationPhase only): the worker (`npm run
 * worker`, a real process) warns at start, naming the attribute and the command that registers
 * it; a remediation fails its workflow task on the upsert until an operator runs that command,
 * then goes on by itself. And a namespace the server refuses to describe only gets a warning
 * that the worker could not check.
 */
const COMMAND = 'temporal operator search-attribute create --namespace default --name RemediationPhaseChangedAt --type Datetime';
const HTTP_TIMEOUTS = { connectTimeoutMs: 2_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000 };

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let filesRoot: string;
let client: Client;
const taskQueue = `search-attribute-check-${randomUUID()}`;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [env, sandbox, filesRoot] = await Promise.all([createDevServerEnv([MOOV_ACCOUNT_ID, REMEDIATION_PHASE]), startSandbox({ port: 0, rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  client = await connectClient({ address: env.address, namespace: 'default', taskQueue });
}, 90_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await client?.connection.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
}, 60_000);

async function startWorker(name: string): Promise<WorkerProcess> {
  const worker = new WorkerProcess(name, sandboxWorkerEnv({ temporalAddress: env.address, taskQueue, filesRoot, moovBaseUrl: sandbox.url, httpTimeouts: HTTP_TIMEOUTS }));
  workers.push(worker);
  await worker.start();
  return worker;
}

/** The Temporal CLI the tests' servers come from (the project's install). */
async function temporalCli(): Promise<string> {
  const { 'dev-server': exe } = await ensureServers(['dev-server']);
  if (!('path' in exe)) throw new Error('this test runs the Temporal CLI; install it with npm run temporal:install');
  return exe.path;
}

test('a namespace without RemediationPhaseChangedAt: the worker warns with the command; remediations wait on it, and go on once it is registered', async () => {
  const worker = await startWorker('worker-before-registration');
  // The warning names what is missing and the exact command, and the worker still polls.
  const warning = worker.output.split('\n').find((line) => line.includes('lacks the search attribute'));
  expect(warning).toBeDefined();
  expect(warning).toContain('RemediationPhaseChangedAt (Datetime)');
  expect(warning).toContain(COMMAND);
  expect(warning).not.toMatch(/MoovAccountID \(|RemediationPhase \(Keyword/);
  expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', missing: ['RemediationPhaseChangedAt'] });

  const { accountID } = await admin.seedAccount({ displayName: 'Before The Upgrade Co', email: 'owner@upgrade.example' });
  const input = { accountID, resolutionLink: { recipient: { email: 'owner@upgrade.example' } }, options: { followThrough: false } };
  // Its first workflow task upserts the phase with its time and the server refuses the attribute,
  // so the start's addWork update (update-with-start) fails; the run itself has started and waits.
  await expect(startRemediation(client, input, { taskQueue })).rejects.toThrow(/unexpected workflow task failure/);
  const handle = client.workflow.getHandle(remediationWorkflowId(accountID));
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const failure = await eventually('the first workflow task to fail on the search attribute', async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    return events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes ?? undefined;
  });
  expect(failure.failure?.message).toMatch(/BadSearchAttributes: .*RemediationPhaseChangedAt/);
  // Nothing happened at Moov: the remediation is stuck before its first step, nothing is lost.
  expect(await admin.requests({ accountID })).toEqual([]);

  // The operator runs the command from the warning (with the server's address), as docs/deploying.md says.
  const [cli, ...args] = COMMAND.split(' ');
  expect(cli).toBe('temporal');
  await promisify(execFile)(await temporalCli(), [...args, '--address', env.address]);
  expect(await checkSearchAttributes(env.connection, 'default')).toEqual({ outcome: 'ok' });

  // Temporal retries the workflow task; the same run goes on and completes, with its time recorded.
  const result = (await handle.result()) as RemediationStatus;
  expect(result.phase).toBe('completed');
  const changedAt = (await handle.describe()).typedSearchAttributes.get(REMEDIATION_PHASE_CHANGED_AT);
  expect(changedAt?.toISOString()).toBe(result.finishedAt);
  expect(result.resolutionLink?.outcome).toBe('created');

  // A worker started now finds everything registered: no warning.
  const next = await startWorker('worker-after-registration');
  expect(next.output).not.toContain('"level":"warn"');
  expect(next.output).toContain('has the search attributes remediations set: MoovAccountID (Keyword), RemediationPhase (Keyword), RemediationPhaseChangedAt (Datetime)');
});

test('an attribute registered with another type is named, with the type remediations set and how to fix it', async () => {
  // A namespace of its own, set up by hand with RemediationPhaseChangedAt as a Keyword.
  const namespace = `mistyped-${randomUUID().slice(0, 8)}`;
  await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await eventually(`namespace ${namespace} to accept search attributes`, async () => {
    await env.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key === REMEDIATION_PHASE_CHANGED_AT ? 'KEYWORD' : key.type)!]),
      ),
    });
    return true;
  });

  const check = await checkSearchAttributes(env.connection, namespace);

  expect(check).toEqual({ outcome: 'missing', missing: [], mistyped: [{ key: REMEDIATION_PHASE_CHANGED_AT, registeredAs: 'Keyword' }] });
  expect(searchAttributeWarning(check, namespace)).toBe(
    `namespace ${namespace} has RemediationPhaseChangedAt as Keyword, but remediations set it as Datetime: ` +
      `visibility keeps it as Keyword, so the list cannot read it; remove it (temporal operator search-attribute remove --namespace ${namespace} --name RemediationPhaseChangedAt) ` +
      `and register it again: temporal operator search-attribute create --namespace ${namespace} --name RemediationPhaseChangedAt --type Datetime (docs/deploying.md)`,
  );
});

test('a call the server refuses: the check says it could not check, and never throws', async () => {
  // The dev server has no authorizer to deny the call; a namespace it does not know is refused the same way (an error status).
  const check = await checkSearchAttributes(env.connection, 'no-such-namespace');

  expect(check).toEqual({ outcome: 'unchecked', reason: expect.stringMatching(/NOT_FOUND/) });
  expect(searchAttributeWarning(check, 'no-such-namespace')).toMatch(
    /^could not check the search attributes of namespace no-such-namespace \(.*NOT_FOUND.*\); remediations need MoovAccountID \(Keyword\), RemediationPhase \(Keyword\), RemediationPhaseChangedAt \(Datetime\) registered/,
  );
});

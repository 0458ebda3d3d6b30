import { WorkflowNotFoundError } from '@temporalio/client';
import { getRemediationStatus } from '../../src/client';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { eventually, runCli, sandboxAdmin, startE2E, writeInputFile, type E2E } from './support/harness';

/**
 * The operator's path end to end: the CLI (a child process) → Temporal dev server → worker →
 * Moov sandbox, asserting on what the sandbox ends up holding, not only on what the CLI says.
 */
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

const FILES_ROUTE = 'POST /accounts/:accountID/files';
const LINKS_ROUTE = 'POST /accounts/:accountID/resolution-links';

function parseJson<T>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`CLI stdout is not JSON: ${stdout}`);
  }
}

async function waitingForForeignLink(accountID: string): Promise<RemediationStatus> {
  return eventually(`${accountID} to wait for the foreign link`, async () => {
    const status = await getRemediationStatus(e2e.client, accountID);
    return status.phase === 'waiting-for-active-link' ? status : undefined;
  });
}

async function routeCalls(accountID: string, route: string) {
  return (await sandboxAdmin.requests(e2e, accountID)).filter((entry) => entry.route === route);
}

test('start --wait --json runs a full remediation: 2 files, link, connection, payment link, exactly as asked', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  const principalID = await sandboxAdmin.createAccount(e2e, { displayName: 'Principal Platform' });
  await sandboxAdmin.seedPaymentLink(e2e, accountID, 'payLinkE2E');
  // The payment link update and options come from --input; flags add the rest.
  const input = await writeInputFile(e2e, 'full', {
    paymentLinks: [
      {
        code: 'payLinkE2E',
        update: { display: { title: 'Private session', description: 'One hour', callToAction: 'book' }, payment: { allowedMethods: ['card-payment'] } },
      },
    ],
    options: { followThrough: false },
  });

  const result = await runCli(e2e, [
    'start',
    '--account', accountID,
    '--email', 'owner@e2e.example',
    '--file', `${e2e.files.pdf}:business_verification:document.business.verification`,
    '--file', `${e2e.files.png}:representative_verification`,
    '--principal', principalID,
    '--scope', 'accounts.read',
    '--scope', 'files.read',
    '--input', input,
    '--wait',
    '--json',
  ]);

  expect(result.stderr).not.toContain('error');
  expect(result.code).toBe(0);
  const status = parseJson<RemediationStatus>(result.stdout);
  expect(status.phase).toBe('completed');
  expect(status.files.map((f) => [f.fileName, f.state])).toEqual([
    [e2e.files.pdf, 'uploaded'],
    [e2e.files.png, 'uploaded'],
  ]);
  expect(status.resolutionLink?.outcome).toBe('created');
  expect(status.connection).toMatchObject({ principalAccountID: principalID, outcome: 'shared' });
  expect(status.paymentLinks).toEqual([expect.objectContaining({ code: 'payLinkE2E', state: 'updated' })]);

  const state = await sandboxAdmin.state(e2e, accountID);
  expect(state.files.map((f) => [f.fileName, f.filePurpose]).sort()).toEqual(
    [
      [e2e.files.pdf, 'business_verification'],
      [e2e.files.png, 'representative_verification'],
    ].sort(),
  );
  const pdf = state.files.find((f) => f.fileName === e2e.files.pdf);
  expect(JSON.parse(pdf?.metadata ?? '{}')).toEqual({ requirement_id: 'document.business.verification', comment: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  expect(state.resolutionLinks).toEqual([expect.objectContaining({ code: status.resolutionLink?.code, status: 'active', recipient: 'owner@e2e.example' })]);
  expect(state.connections).toEqual([expect.objectContaining({ principalAccountID: principalID, allowScopes: ['accounts.read', 'files.read'] })]);
  expect(state.paymentLinks[0]).toMatchObject({
    code: 'payLinkE2E',
    display: { title: 'Private session', description: 'One hour', callToAction: 'book' },
    payment: { allowedMethods: ['card-payment'] },
  });
});

test('a link created but answered with 500 is adopted, never created twice', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  await sandboxAdmin.addFault(e2e, { route: LINKS_ROUTE, accountID, sequence: [{ applyThenFail: 'status-500' }] });

  const result = await runCli(e2e, ['start', '--account', accountID, '--email', 'owner@e2e.example', '--wait', '--json']);

  expect(result.code).toBe(0);
  const status = parseJson<RemediationStatus>(result.stdout);
  expect(status.phase).toBe('resolved');
  expect(status.resolutionLink?.outcome).toBe('adopted');
  const state = await sandboxAdmin.state(e2e, accountID);
  expect(state.resolutionLinks).toHaveLength(1);
  expect(state.resolutionLinks[0]).toMatchObject({ code: status.resolutionLink?.code, status: 'active' });
  // The first create really happened (500 after applying); the retry met 409 and adopted it.
  expect((await routeCalls(accountID, LINKS_ROUTE)).map((entry) => entry.status)).toEqual([500, 409]);
});

test('an upload stored but answered with 500 is found on retry, not uploaded twice', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  await sandboxAdmin.addFault(e2e, { route: FILES_ROUTE, accountID, sequence: [{ applyThenFail: 'status-500' }] });

  const result = await runCli(e2e, [
    'start',
    '--account', accountID,
    '--file', `${e2e.files.pdf}:business_verification`,
    '--file', `${e2e.files.csv}:merchant_underwriting`,
    '--wait',
    '--json',
  ]);

  expect(result.code).toBe(0);
  const status = parseJson<RemediationStatus>(result.stdout);
  expect(status.files.map((f) => f.state).sort()).toEqual(['already-present', 'uploaded']);
  const state = await sandboxAdmin.state(e2e, accountID);
  expect(state.files.map((f) => f.fileName).sort()).toEqual([e2e.files.csv, e2e.files.pdf].sort());
  expect((await routeCalls(accountID, FILES_ROUTE)).map((entry) => entry.status).sort()).toEqual([200, 500]);
  expect(new Set(status.files.map((f) => f.fileID))).toEqual(new Set(state.files.map((f) => f.fileID)));
});

test('starting twice for one account adds to the running remediation, answered per item', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  await sandboxAdmin.seedForeignLink(e2e, accountID); // keeps the first run waiting, so the second start meets it running
  const args = ['start', '--account', accountID, '--email', 'owner@e2e.example', '--json'];

  const first = await runCli(e2e, args);
  const second = await runCli(e2e, args);
  const human = await runCli(e2e, args.slice(0, -1));

  expect([first.code, second.code, human.code]).toEqual([0, 0, 0]);
  type Start = { workflowId: string; runId: string; started: boolean; items: unknown[] };
  const firstStart = parseJson<Start>(first.stdout);
  const secondStart = parseJson<Start>(second.stdout);
  const link = { kind: 'resolutionLink', key: 'email' };
  expect(firstStart).toEqual({ workflowId: remediationWorkflowId(accountID), runId: expect.any(String), started: true, items: [{ ...link, outcome: 'accepted' }] });
  expect(secondStart).toEqual({ ...firstStart, started: false, items: [{ ...link, outcome: 'already-present' }] });
  expect(human.stdout).toContain(`runId:      ${firstStart.runId}`);
  expect(human.stdout).toContain('started:    false');
  expect(human.stdout).toMatch(/resolutionLink email\s+already-present/);

  // Another recipient is refused with why, and the command says so by its exit code.
  const other = await runCli(e2e, ['start', '--account', accountID, '--email', 'someone@e2e.example', '--json']);
  expect(other.code).toBe(1);
  expect(parseJson<Start>(other.stdout).items).toEqual([{ ...link, outcome: 'refused', reason: expect.stringContaining('another recipient') }]);

  const query = `WorkflowId = "${remediationWorkflowId(accountID)}"`;
  const executions = await eventually('the execution to be visible', async () => {
    const found = [];
    for await (const execution of e2e.client.workflow.list({ query })) found.push(execution);
    return found.length > 0 ? found : undefined;
  });
  expect(executions.map((execution) => execution.runId)).toEqual([firstStart.runId]);
  await e2e.client.workflow.getHandle(firstStart.workflowId).cancel();
});

test('status and replace-link: a foreign active link is disabled and ours created', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  const foreign = await sandboxAdmin.seedForeignLink(e2e, accountID);
  const started = await runCli(e2e, ['start', '--account', accountID, '--email', 'owner@e2e.example']);
  expect(started.code).toBe(0);
  await waitingForForeignLink(accountID);

  const human = await runCli(e2e, ['status', accountID]);
  expect(human.code).toBe(0);
  expect(human.stdout).toContain('phase:           waiting-for-active-link');
  expect(human.stdout).toContain(`active link ${foreign.code} to end`);
  expect(human.stdout).not.toContain('owner@e2e.example');
  const json = await runCli(e2e, ['status', remediationWorkflowId(accountID), '--json']);
  expect(parseJson<RemediationStatus>(json.stdout).waitingFor?.activeLinkCode).toBe(foreign.code);

  const replaced = await runCli(e2e, ['replace-link', accountID, '--reason', 'e2e: merchant asked for a new link']);
  expect(replaced.stderr).toBe('');
  expect(replaced.code).toBe(0);
  expect(replaced.stdout).toContain(`Disabled resolution link ${foreign.code}`);

  const final = (await e2e.client.workflow.getHandle(remediationWorkflowId(accountID)).result()) as RemediationStatus;
  expect(final.phase).toBe('resolved');
  expect(final.disabledLinks).toEqual([foreign.code]);
  const state = await sandboxAdmin.state(e2e, accountID);
  expect(state.resolutionLinks.find((link) => link.code === foreign.code)?.status).toBe('disabled');
  expect(state.resolutionLinks.filter((link) => link.code !== foreign.code)).toEqual([
    expect.objectContaining({ code: final.resolutionLink?.code, status: 'active', recipient: 'owner@e2e.example' }),
  ]);
});

test('cancel stops a waiting remediation, which records phase cancelled', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  await sandboxAdmin.seedForeignLink(e2e, accountID);
  expect((await runCli(e2e, ['start', '--account', accountID, '--phone', '5555550123', '--country-code', '1'])).code).toBe(0);
  await waitingForForeignLink(accountID);

  const cancelled = await runCli(e2e, ['cancel', accountID]);
  expect(cancelled.code).toBe(0);
  expect(cancelled.stdout).toContain(`Cancellation requested for ${remediationWorkflowId(accountID)}`);

  const handle = e2e.client.workflow.getHandle(remediationWorkflowId(accountID));
  await expect(handle.result()).rejects.toThrow();
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  const status = await runCli(e2e, ['status', accountID, '--json']);
  expect(parseJson<RemediationStatus>(status.stdout).phase).toBe('cancelled');
  const again = await runCli(e2e, ['cancel', accountID]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('is not running (CANCELLED); nothing to cancel');
});

test('start --wait exits 1 with the Moov failure when a step fails for good', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e);
  const input = await writeInputFile(e2e, 'missing-link', { paymentLinks: [{ code: 'noSuchLink', update: { display: { title: 'x' } } }] });

  const result = await runCli(e2e, ['start', '--account', accountID, '--input', input, '--wait']);

  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`Remediation ${remediationWorkflowId(accountID)} did not complete: .*404`));
  // The start answers once the run has taken its input (update-with-start), so the first phase seen may already be the failure.
  expect(result.stdout).toMatch(/paymentLink noSuchLink\s+accepted/);
  expect(result.stdout).toMatch(/failed: updatePaymentLink failed: 404/);
});

describe('bad input exits 2 with a specific message and starts nothing', () => {
  const cases: [name: string, args: (accountID: string, e2e: E2E) => Promise<string[]>, message: RegExp][] = [
    [
      'malformed --input JSON',
      async (accountID) => ['start', '--account', accountID, '--input', await writeInputFile(e2e, 'malformed', '{"files": [,]}')],
      /--input .*input-malformed\.json: not valid JSON/,
    ],
    [
      '--email with --phone',
      async (accountID) => ['start', '--account', accountID, '--email', 'a@b.example', '--phone', '5555550123'],
      /option '--email <email>' cannot be used with option '--phone <number>'/,
    ],
    ['an unknown flag', async (accountID) => ['start', '--account', accountID, '--email', 'a@b.example', '--colour', 'blue'], /unknown option '--colour'/],
    [
      'a file purpose Moov does not know',
      async (accountID) => ['start', '--account', accountID, '--file', 'id.pdf:passport'],
      /--file id\.pdf:passport: expected PATH:PURPOSE\[:REQUIREMENT_ID\]/,
    ],
    [
      'a connection scope Moov does not know',
      async (accountID) => ['start', '--account', accountID, '--principal', accountID, '--scope', 'everything'],
      /Invalid remediation input: connection\.allowScopes\.0: is not a Moov application scope/,
    ],
    [
      'a file path outside FILES_ROOT',
      async (accountID) => ['start', '--account', accountID, '--file', '../etc/passwd.csv:account_requirement'],
      /files\.0\.path: must not contain '\.\.'/,
    ],
  ];

  test.each(cases)('%s', async (_name, args, message) => {
    const accountID = await sandboxAdmin.createAccount(e2e);
    const result = await runCli(e2e, await args(accountID, e2e));

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    await expect(e2e.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await sandboxAdmin.requests(e2e, accountID)).toEqual([]);
  });
});

describe('a configuration mistake exits 2 naming the variable, before connecting to Temporal', () => {
  // A valid base64 key of the wrong length: the message must say what is wrong, never the key.
  const shortKey = Buffer.alloc(16, 7).toString('base64');
  const cases: [name: string, args: (accountID: string) => string[], env: Record<string, string>, variable: string][] = [
    ['start with a bad TEMPORAL_CODEC_KEYS', (accountID) => ['start', '--account', accountID, '--email', 'a@b.example'], { TEMPORAL_CODEC_KEYS: `k1:${shortKey}` }, 'TEMPORAL_CODEC_KEYS'],
    ['status with a TEMPORAL_CODEC_CURRENT_KEY_ID but no keys', (accountID) => ['status', accountID], { TEMPORAL_CODEC_CURRENT_KEY_ID: 'k1' }, 'TEMPORAL_CODEC_CURRENT_KEY_ID'],
    ['sweep run with a blank TEMPORAL_TASK_QUEUE', () => ['sweep', 'run', '--dry-run'], { TEMPORAL_TASK_QUEUE: ' ' }, 'TEMPORAL_TASK_QUEUE'],
    // Nothing listens there: a connection attempt would fail with exit 1, "cannot connect".
    ['cancel with a bad TEMPORAL_CODEC_KEYS and an unreachable server', (accountID) => ['cancel', accountID], { TEMPORAL_CODEC_KEYS: 'not-a-key-list', TEMPORAL_ADDRESS: '127.0.0.1:9' }, 'TEMPORAL_CODEC_KEYS'],
  ];

  test.each(cases)('%s', async (_name, args, env, variable) => {
    const accountID = await sandboxAdmin.createAccount(e2e);
    const result = await runCli(e2e, args(accountID), env);

    expect(result.stderr).toMatch(new RegExp(`^error: Invalid configuration: ${variable} `));
    expect(result.stderr).not.toContain('cannot connect');
    expect(result.stderr).not.toContain(shortKey);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    await expect(e2e.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

test('mark-resolved ends follow-through as resolved by the operator', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e, {
    capabilities: [
      { capability: 'collect-funds', requirements: { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] } },
    ],
  });
  expect((await runCli(e2e, ['start', '--account', accountID, '--email', 'owner@e2e.example'])).code).toBe(0);
  await eventually(`${accountID} to await the merchant`, async () => {
    const status = await getRemediationStatus(e2e.client, accountID);
    return status.phase === 'awaiting-merchant' && status.followThrough?.lastCheckedAt ? status : undefined;
  });
  const waiting = await runCli(e2e, ['status', accountID]);
  expect(waiting.stdout).toContain('open errors:     collect-funds: document.business.verification (document-name-mismatch)');

  const marked = await runCli(e2e, ['mark-resolved', accountID, '--note', 'verified by phone']);

  expect(marked.code).toBe(0);
  expect(marked.stdout).toContain('phase:           resolved');
  expect(marked.stdout).toContain('outcome:         resolved by operator (note: verified by phone)');
  const final = (await e2e.client.workflow.getHandle(remediationWorkflowId(accountID)).result()) as RemediationStatus;
  expect(final.phase).toBe('resolved');
  expect(final.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'operator', note: 'verified by phone' });
  const again = await runCli(e2e, ['mark-resolved', accountID]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('not running');
});

test('sweep run --dry-run lists a stuck merchant and starts nothing', async () => {
  const accountID = await sandboxAdmin.createAccount(e2e, {
    capabilities: [{ capability: 'collect-funds', requirements: { currentlyDue: ['business.description'] } }],
  });

  const result = await runCli(e2e, ['sweep', 'run', '--dry-run', '--wait', '--json']);

  expect(result.code).toBe(0);
  const summary = parseJson<{ dryRun: boolean; started: number; wouldStart: { accountID: string; reasons: string[] }[] }>(result.stdout);
  expect(summary).toMatchObject({ dryRun: true, started: 0 });
  expect(summary.wouldStart).toContainEqual({ accountID, reasons: ['due: collect-funds: business.description'] });
  await expect(e2e.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

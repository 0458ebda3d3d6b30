import { WorkflowNotFoundError } from '@temporalio/client';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import type { SweepInput } from '../../src/domain/sweep-input';
import { remediationSweep } from '../../src/workflows';
import { HOUR, alignSandboxClock, startRemediationWorkflow, useWorkflowHarness, waitForPhase } from './support/helpers';

const h = useWorkflowHarness();

beforeEach(async () => {
  // A sweep scans every account in the sandbox; each test starts from an empty one.
  await h().admin.reset();
  await alignSandboxClock(h());
});

const withErrors = (requirement: string) => [
  { capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement, errorCode: 'document-name-mismatch' }] } },
];

/** A fleet of every kind a sweep meets: clean, with errors, with a running remediation, pending with items due, unreachable. */
async function seedMix() {
  const admin = h().admin;
  const clean = await admin.seedAccount({ displayName: 'Clean Co', email: 'clean@merchant.test', capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
  const broken = await admin.seedAccount({ displayName: 'Broken Co', email: 'broken@merchant.test', capabilities: withErrors('document.business.verification') });
  const running = await admin.seedAccount({ displayName: 'Running Co', email: 'running@merchant.test', capabilities: withErrors('document.individual.verification') });
  const pending = await admin.seedAccount({
    displayName: 'Pending Co',
    phone: { number: '5555550100', countryCode: '1' },
    capabilities: [{ capability: 'send-funds', status: 'pending', requirements: { currentlyDue: ['individual.ssn'] } }],
  });
  const unreachable = await admin.seedAccount({ displayName: 'Nobody Co', capabilities: withErrors('business.ein') });
  return { clean, broken, running, pending, unreachable };
}

/** A remediation already running for the account: waiting on another party's link. */
async function startRunningRemediation(accountID: string) {
  const now = Date.parse((await h().admin.clock()).now);
  await h().admin.seedResolutionLink(accountID, { recipient: 'other@partner.test', expiresOn: new Date(now + 20 * 24 * HOUR).toISOString() });
  const handle = await startRemediationWorkflow(h(), { accountID, resolutionLink: { recipient: { email: 'running@merchant.test' } } });
  await waitForPhase(handle, 'waiting-for-active-link');
  return handle;
}

const REMEDIATE_WITHOUT_FOLLOW_THROUGH: SweepInput = { remediation: { options: { followThrough: false } } };

function runSweep(input: SweepInput, id: string) {
  return h().env.client.workflow.execute(remediationSweep, { taskQueue: h().taskQueue, workflowId: `remediation-sweep-test-${id}`, args: [input] });
}

test('a sweep starts exactly the remediations it should and never a second one for a running account', async () => {
  const mix = await seedMix();
  const running = await startRunningRemediation(mix.running.accountID);

  const summary = await runSweep(REMEDIATE_WITHOUT_FOLLOW_THROUGH, 'mixed');

  expect(summary).toMatchObject({
    scanned: 5,
    selected: 3,
    started: 2,
    alreadyRunning: 1,
    skipped: { 'no-open-requirements': 1, 'no-contact': 1 },
    dryRun: false,
  });
  const client = h().env.client.workflow;
  const broken = await client.getHandle(remediationWorkflowId(mix.broken.accountID)).result();
  expect(broken.resolutionLink?.outcome).toBe('created');
  const pending = await client.getHandle(remediationWorkflowId(mix.pending.accountID)).result();
  expect(pending.phase).toBe('completed');
  expect((await h().admin.state(mix.pending.accountID)).resolutionLinks[0]?.recipient).toBe('15555550100');
  for (const untouched of [mix.clean, mix.unreachable]) {
    await expect(client.getHandle(remediationWorkflowId(untouched.accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
  // The running remediation is the same run as before: joined, not replaced.
  expect((await running.describe()).status.name).toBe('RUNNING');
  await running.cancel();
});

test('dry run lists what it would start and starts nothing', async () => {
  const mix = await seedMix();

  const summary = await runSweep({ ...REMEDIATE_WITHOUT_FOLLOW_THROUGH, dryRun: true }, 'dry-run');

  expect(summary).toMatchObject({ dryRun: true, scanned: 5, selected: 3, started: 0, alreadyRunning: 0 });
  expect(summary.wouldStart?.map((c) => c.accountID).sort()).toEqual([mix.broken.accountID, mix.running.accountID, mix.pending.accountID].sort());
  expect(summary.wouldStart?.find((c) => c.accountID === mix.pending.accountID)?.reasons).toEqual(['due: send-funds: individual.ssn']);
  expect(await h().admin.requests({ route: 'POST /accounts/:accountID/resolution-links' })).toEqual([]);
  await expect(h().env.client.workflow.getHandle(remediationWorkflowId(mix.broken.accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('continue-as-new: a sweep over many pages carries its cursor and totals across runs', async () => {
  const seeded = [];
  for (let i = 0; i < 5; i++) seeded.push(await h().admin.seedAccount({ displayName: `Merchant ${i}`, email: `m${i}@merchant.test`, capabilities: withErrors('business.ein') }));

  const handle = await h().env.client.workflow.start(remediationSweep, {
    taskQueue: h().taskQueue,
    workflowId: 'remediation-sweep-test-pages',
    args: [{ ...REMEDIATE_WITHOUT_FOLLOW_THROUGH, pageSize: 2, pagesPerRun: 1, dryRun: true }],
  });
  const summary = await handle.result();

  // Pages of 2, 2 and 1, then the empty page that ends the list: one page per run.
  expect(summary).toMatchObject({ scanned: 5, selected: 5, pages: 4, runs: 4 });
  expect(summary.wouldStart?.map((c) => c.accountID).sort()).toEqual(seeded.map((a) => a.accountID).sort());
  const last = await h().env.client.workflow.getHandle('remediation-sweep-test-pages').describe();
  expect(last.runId).not.toBe(handle.firstExecutionRunId);
  const listPages = await h().admin.requests({ route: 'GET /accounts' });
  expect(listPages).toHaveLength(4);
});

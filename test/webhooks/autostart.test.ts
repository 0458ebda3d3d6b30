import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { AccountEventTriageResult } from '../../src/domain/account-event-triage';
import type { RemediationInput } from '../../src/domain/remediation-input';
import { accountEventWorkflowId, remediationWorkflowId } from '../../src/domain/workflow-ids';
import { createSweepSchedule, sweepSchedule } from '../../src/sweep-client';
import { eventually } from '../support/eventually';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { moovEvent, post, signedDelivery, startTestReceiver, type TestReceiver } from './support/deliveries';

/**
 * WEBHOOK_AUTOSTART=true on the real dev server: an account event for an account with no running
 * remediation starts its triage (account-event-<accountID>), which reads the account at Moov (the
 * sandbox) and decides as a sweep does: a remediation for open requirements, nothing otherwise.
 */
let h: WorkflowHarness;
let r: TestReceiver;

beforeAll(async () => {
  h = await startWorkflowHarness('dev');
  // No Schedule by this id: the sweep's defaults (a link to the profile's contact, follow-through on).
  r = await startTestReceiver({ client: h.env.client, taskQueue: h.taskQueue, autostart: true });
}, 60_000);

afterAll(async () => {
  await r?.close();
  await h?.close();
}, 60_000);

const withErrors = [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] } }];

async function triageOf(accountID: string): Promise<AccountEventTriageResult> {
  return h.env.client.workflow.getHandle(accountEventWorkflowId(accountID)).result();
}

async function remediationInputOf(accountID: string): Promise<RemediationInput> {
  const history = await h.env.client.workflow.getHandle(remediationWorkflowId(accountID)).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return JSON.parse(Buffer.from(started!.input!.payloads![0]!.data!).toString('utf8')) as RemediationInput;
}

test('an account with open requirements: the triage starts its remediation, with a link to the profile’s email', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Stuck Yoga', email: 'stuck@merchant.test', capabilities: withErrors });
  const answered = await post(r.receiver, signedDelivery({ body: moovEvent('capability.updated', { accountID, capabilityID: 'collect-funds', status: 'pending' }) }));
  expect(answered).toEqual({ status: 200, body: { outcome: 'triage-started' } });

  expect(await triageOf(accountID)).toEqual({
    outcome: 'started',
    workflowId: remediationWorkflowId(accountID),
    reasons: ['error: collect-funds: document.business.verification'],
  });
  expect(await remediationInputOf(accountID)).toEqual({ accountID, resolutionLink: { recipient: { email: 'stuck@merchant.test' } } });
  // The remediation outlives the triage (ParentClosePolicy ABANDON), and the next event signals it.
  const next = await post(r.receiver, signedDelivery({ body: moovEvent('account.updated', { accountID }) }));
  expect(next).toEqual({ status: 200, body: { outcome: 'signaled' } });
});

test('an account with nothing open: the triage starts nothing, and Moov’s profile is not even read', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Clean Co', email: 'clean@merchant.test', capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
  expect((await post(r.receiver, signedDelivery({ body: moovEvent('account.updated', { accountID }) }))).body).toEqual({ outcome: 'triage-started' });

  expect(await triageOf(accountID)).toEqual({ outcome: 'skipped', reason: 'no-open-requirements' });
  await expect(h.env.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const reads = await h.admin.requests({ accountID });
  expect(reads.map((entry) => entry.route)).toEqual(['GET /accounts/:accountID/capabilities']);
});

test('a burst of events for one account is one triage (USE_EXISTING)', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Burst Co', email: 'burst@merchant.test', capabilities: withErrors });
  // Moov answers slowly, so the triage is still running while the burst arrives.
  await h.admin.addFault({ route: 'GET /accounts/:accountID/capabilities', accountID, sequence: [{ latencyMs: 1_500 }] });
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => post(r.receiver, signedDelivery({ body: moovEvent('representative.updated', { accountID, representativeID: randomUUID() }) }))),
  );
  expect(answers.map((a) => a.body.outcome)).toEqual(Array<string>(5).fill('triage-started'));
  expect(await triageOf(accountID)).toMatchObject({ outcome: 'started' });
  const runs = await eventually('the triage in visibility', async () => {
    const found = [];
    for await (const run of h.env.client.workflow.list({ query: `WorkflowId = '${accountEventWorkflowId(accountID)}'` })) found.push(run.runId);
    return found.length > 0 ? found : undefined;
  });
  expect(runs).toHaveLength(1);
  expect((await h.admin.requests({ accountID, route: 'GET /accounts/:accountID/capabilities' })).length).toBe(1);
});

test("with the sweep's Schedule, the triage remediates with its template (no link, its connection, its options)", async () => {
  const scheduleId = `remediation-sweep-${randomUUID()}`;
  const { accountID: principalAccountID } = await h.admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' });
  await createSweepSchedule(h.env.client, {
    scheduleId,
    cadence: { every: '24h' },
    taskQueue: h.taskQueue,
    input: { dryRun: true, remediation: { sendResolutionLink: false, connection: { principalAccountID }, options: { followThrough: false } } },
  });
  await sweepSchedule(h.env.client, scheduleId).pause('the test reads its input only');
  const scheduled = await startTestReceiver({ client: h.env.client, taskQueue: h.taskQueue, autostart: true, scheduleId });
  try {
    const { accountID } = await h.admin.seedAccount({ displayName: 'Template Co', email: 'template@merchant.test', capabilities: withErrors });
    expect((await post(scheduled.receiver, signedDelivery({ body: moovEvent('capability.requested', { accountID, capabilityID: 'collect-funds' }) }))).body).toEqual({
      outcome: 'triage-started',
    });
    expect(await triageOf(accountID)).toMatchObject({ outcome: 'started' });
    expect(await remediationInputOf(accountID)).toEqual({ accountID, connection: { principalAccountID }, options: { followThrough: false } });
  } finally {
    await scheduled.close();
    await sweepSchedule(h.env.client, scheduleId).delete();
  }
});

import { ScheduleNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { createSweepSchedule, sweepSchedule } from '../../src/sweep-client';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import type { SweepSummary } from '../../src/domain/sweep-input';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { statusQuery } from '../../src/workflows/definitions';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev');
});
afterAll(async () => {
  await h?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('sweep schedule on the dev server: create, trigger, pause, unpause, delete', async () => {
  await h.admin.seedAccount({
    displayName: 'Stuck Co',
    email: 'stuck@merchant.test',
    capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'business.ein' }] } }],
  });
  const scheduleId = `remediation-sweep-${randomUUID()}`;
  await createSweepSchedule(h.env.client, { scheduleId, cadence: { every: '6h' }, input: { dryRun: true }, taskQueue: h.taskQueue });
  const schedule = sweepSchedule(h.env.client, scheduleId);

  const created = await schedule.describe();
  expect(created.policies.overlap).toBe('SKIP');
  expect(created.spec.intervals).toEqual([expect.objectContaining({ every: 6 * 3600 * 1000 })]);
  expect(created.state.paused).toBe(false);
  expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'remediationSweep', taskQueue: h.taskQueue });

  await schedule.trigger();
  const action = await until('the triggered sweep', async () => (await schedule.describe()).info.recentActions[0]);
  const summary = (await h.env.client.workflow.getHandle(action.action.workflow.workflowId).result()) as SweepSummary;
  expect(summary).toMatchObject({ dryRun: true, scanned: 1, selected: 1, started: 0 });

  await schedule.pause('maintenance window');
  expect((await schedule.describe()).state).toMatchObject({ paused: true, note: 'maintenance window' });
  await schedule.unpause();
  expect((await schedule.describe()).state.paused).toBe(false);

  await schedule.delete();
  await expect(schedule.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
});

test('a scheduled sweep starts the remediation a stuck merchant needs, and it follows through to an outcome', async () => {
  const { accountID } = await h.admin.seedAccount({
    displayName: 'Follow Co',
    email: 'follow@merchant.test',
    capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'business.ein' }] } }],
  });
  const { accountID: clean } = await h.admin.seedAccount({ displayName: 'Clean Co', capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
  // Follow-through checks Moov at most once a minute: the merchant's fix lands while the link is
  // being created (Moov answers it slowly), so the first check already sees it, on real time.
  await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, sequence: [{ latencyMs: 3_000 }] });
  const scheduleId = `remediation-sweep-${randomUUID()}`;
  await createSweepSchedule(h.env.client, {
    scheduleId,
    cadence: { cron: '0 */6 * * *' },
    input: { remediation: { options: { followThrough: true } } },
    taskQueue: h.taskQueue,
  });
  const schedule = sweepSchedule(h.env.client, scheduleId);
  await schedule.trigger();
  const action = await until('the triggered sweep', async () => (await schedule.describe()).info.recentActions[0]);
  const summary = (await h.env.client.workflow.getHandle(action.action.workflow.workflowId).result()) as SweepSummary;
  expect(summary.started).toBeGreaterThanOrEqual(1);

  const remediation = h.env.client.workflow.getHandle(remediationWorkflowId(accountID));
  await until('the link step', async () => ((await remediation.query(statusQuery).catch(() => undefined))?.phase === 'creating-link' ? true : undefined));
  await h.admin.patchCapability(accountID, 'collect-funds', { status: 'enabled', requirements: { errors: [], currentlyDue: [] } });
  const outcome = (await remediation.result()) as RemediationStatus;

  expect(outcome.phase).toBe('resolved');
  expect(outcome.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'moov' });
  expect(outcome.resolutionLink?.outcome).toBe('created');
  await expect(h.env.client.workflow.getHandle(remediationWorkflowId(clean)).describe()).rejects.toThrow();
  await schedule.delete();
});

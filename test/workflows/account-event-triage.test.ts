import { randomUUID } from 'node:crypto';
import type { AccountEventTriageInput, AccountEventTriageResult } from '../../src/domain/account-event-triage';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { accountEventTriage } from '../../src/workflows';
import { rootFailure, runTriage, seedMerchant, startRemediationWorkflow, useWorkflowHarness, waitForPhase } from './support/helpers';

/**
 * accountEventTriage's branches on the time-skipping server with the sandbox: the ones a webhook
 * test on the dev server does not reach (test/webhooks/autostart.test.ts has the start, nothing
 * open, the burst and the Schedule's template).
 */
const harness = useWorkflowHarness();

const triage = (input: AccountEventTriageInput): Promise<AccountEventTriageResult> => runTriage(harness(), input);

test('a remediation already running: the triage joins nothing and says so', async () => {
  const h = harness();
  const accountID = await seedMerchant(h);
  const now = Date.parse((await h.admin.clock()).now);
  await h.admin.seedResolutionLink(accountID, { recipient: 'someone-else@partner.test', createdOn: new Date(now - 3600_000).toISOString(), expiresOn: new Date(now + 20 * 86_400_000).toISOString() });
  const running = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } } });
  await waitForPhase(running, 'waiting-for-active-link');

  expect(await triage({ accountID })).toEqual({ outcome: 'already-running', workflowId: remediationWorkflowId(accountID) });
  await running.cancel();
});

test('a remediation closed within the cooldown: skipped recently-closed, as a sweep would', async () => {
  const h = harness();
  const accountID = await seedMerchant(h);
  // Closed at once (no follow-through): the time-skipping server has no days of polls to skip through first.
  await (await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } }, options: { followThrough: false } })).result();

  // A cooldown longer than any jump of the time-skipping server's clock: seen once in ten runs, the
  // triage's Date.now() came out 10 years after the remediation closed (the server skipped to a
  // far deadline while the client waited). The rule itself is the sweep's, tested there too.
  expect(await triage({ accountID, template: { closedCooldown: '100 years' } })).toEqual({ outcome: 'skipped', reason: 'recently-closed' });
  // With a cooldown shorter than the time since it closed, a new one starts.
  await h.env.sleep('2 hours');
  expect(await triage({ accountID, template: { closedCooldown: '1 hour', remediation: { options: { followThrough: false } } } })).toMatchObject({ outcome: 'started' });
});

test('no email or phone and no connection to share: skipped no-contact', async () => {
  const h = harness();
  const { accountID } = await h.admin.seedAccount({
    displayName: 'Nobody Co',
    capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'business.ein' }] } }],
  });
  expect(await triage({ accountID })).toEqual({ outcome: 'skipped', reason: 'no-contact' });
});

test('an account Moov does not show us (404): skipped refused, not failed', async () => {
  expect(await triage({ accountID: randomUUID() })).toEqual({ outcome: 'skipped', reason: 'refused' });
});

test('input the triage cannot use fails at once, naming the field', async () => {
  const h = harness();
  const failure = await rootFailure(
    h.env.client.workflow.execute(accountEventTriage, { taskQueue: h.taskQueue, workflowId: `account-event-bad-${randomUUID()}`, args: [{ accountID: 'not/an/id' }] }),
  );
  expect(failure.message).toMatch(/^Invalid account event triage input: accountID/);
  expect(failure.nonRetryable).toBe(true);
});

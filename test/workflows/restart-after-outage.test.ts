import type { AccountEventTriageInput, AccountEventTriageResult } from '../../src/domain/account-event-triage';
import { rootFailure, runTriage, seedMerchant, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

/**
 * A remediation that failed on Moov's side is not held back by the cooldown: the triage (and the
 * sweep, which decides the same way in src/workflows/account-decision.ts) starts it again.
 * Its own harness: after the triage file's clock-jumping tests, the time-skipping server left
 * this one waiting.
 */
const harness = useWorkflowHarness();

const triage = (input: AccountEventTriageInput): Promise<AccountEventTriageResult> => runTriage(harness(), input);

test('a remediation that failed because Moov stayed down (MoovOutageTooLong) is started again at once, cooldown or not', async () => {
  const h = harness();
  const accountID = await seedMerchant(h);
  await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, fault: { status: 503 }, probability: 1 });
  const failed = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } }, options: { maxOutageWait: '10 minutes' } });
  expect((await rootFailure(failed.result())).type).toBe('MoovOutageTooLong');
  await h.admin.call('DELETE', '/_sandbox/faults');

  expect(await triage({ accountID, template: { closedCooldown: '100 years', remediation: { options: { followThrough: false } } } })).toMatchObject({ outcome: 'started' });
});

test('a remediation that failed for another reason stays under the cooldown', async () => {
  const h = harness();
  const accountID = await seedMerchant(h);
  await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, sequence: [{ status: 422, body: { error: 'recipient refused' } }] });
  const failed = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } } });
  expect((await rootFailure(failed.result())).type).toBe('MoovValidationError');
  await h.admin.call('DELETE', '/_sandbox/faults');

  expect(await triage({ accountID, template: { closedCooldown: '100 years' } })).toEqual({ outcome: 'skipped', reason: 'recently-closed' });
});

import { WorkflowUpdateFailedError } from '@temporalio/client';
import { REMEDIATION_PHASE } from '../../src/domain/search-attributes';
import { markResolvedUpdate, statusQuery } from '../../src/workflows/definitions';
import { HOUR, MERCHANT_EMAIL, elapsedMs, seedMerchant, startRemediationWorkflow, useWorkflowHarness, waitForPhase, waitForStatus } from './support/helpers';

const h = useWorkflowHarness();
const DAY = 24 * HOUR;

function followThroughInput(accountID: string, options: Record<string, unknown> = {}) {
  return {
    accountID,
    files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' as const }],
    resolutionLink: { recipient: { email: MERCHANT_EMAIL } },
    options: { followThrough: true, ...options },
  };
}

/** What the merchant's fix looks like from Moov's side: the capability's requirements clear. */
function clearRequirements(accountID: string) {
  return h().admin.patchCapability(accountID, 'collect-funds', { status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
}

test('resolved: the remediation watches Moov until the requirement errors clear, then completes', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));
  // The phase changes before the first look at Moov; wait for that look.
  const watching = await waitForStatus(handle, 'the first follow-through check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.lastCheckedAt);
  expect(watching.followThrough?.requirementErrors).toEqual(['collect-funds: document.business.verification (document-name-mismatch)']);
  expect((await handle.describe()).typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('awaiting-merchant');

  await clearRequirements(accountID);
  const result = await handle.result();

  expect(result.phase).toBe('resolved');
  expect(result.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'moov' });
  expect(result.followThrough?.requirementErrors).toEqual([]);
  expect(elapsedMs(result)).toBeGreaterThanOrEqual(24 * HOUR); // seen at the first check of the 24 h safety-net poll (no webhook here)
  expect(elapsedMs(result)).toBeLessThan(25 * HOUR);
  expect((await handle.describe()).typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('resolved');
});

test('a rejected file is recorded with Moov\'s decision reason', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));
  const watching = await waitForPhase(handle, 'awaiting-merchant');
  const fileID = watching.files[0]!.fileID!;

  await h().admin.patchFile(accountID, fileID, { fileStatus: 'rejected', decisionReason: 'document is expired' });
  await clearRequirements(accountID);
  const result = await handle.result();

  expect(result.files[0]).toMatchObject({ fileID, fileStatus: 'rejected', decisionReason: 'document is expired' });
});

test('the link expires with requirements left: a fresh link is sent, then the time limit ends it unresolved', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID, { maxFollowThrough: '3 days' }));
  const first = (await waitForPhase(handle, 'awaiting-merchant')).resolutionLink!;

  await h().admin.advanceClock(31 * DAY); // Moov's side: the 30-day link expires unused
  const result = await handle.result();

  expect(result.phase).toBe('unresolved');
  expect(result.followThrough?.freshLinksSent).toBe(1);
  expect(result.resolutionLink?.code).not.toBe(first.code);
  expect(result.followThrough?.outcome?.reasons).toEqual(
    expect.arrayContaining([expect.stringMatching(/follow-through limit/), 'open requirement: collect-funds: document.business.verification (document-name-mismatch)']),
  );
  const links = (await h().admin.state(accountID)).resolutionLinks;
  expect(links.map((l) => [l.code, l.status]).sort()).toEqual(
    [
      [first.code, 'expired'],
      [result.resolutionLink!.code, 'active'],
    ].sort(),
  );
});

test('the fresh-link budget is a cap: with it spent, an expired link ends the remediation unresolved', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID, { maxFreshLinks: 0 }));
  await waitForPhase(handle, 'awaiting-merchant');

  await h().admin.advanceClock(31 * DAY);
  const result = await handle.result();

  expect(result.phase).toBe('unresolved');
  expect(result.followThrough?.outcome?.reasons[0]).toMatch(/expired .*fresh-link budget \(0\) spent/);
  expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
  expect(elapsedMs(result)).toBeLessThan(25 * HOUR); // seen at the first 24 h check
});

test('markResolved: an operator ends the watch early and the outcome says who', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));
  await waitForPhase(handle, 'awaiting-merchant');

  const status = await handle.executeUpdate(markResolvedUpdate, { args: [{ note: 'verified by phone' }] });
  expect(status.followThrough?.outcome).toEqual({ result: 'resolved', by: 'operator', reasons: ['marked resolved by an operator'], note: 'verified by phone' });
  const result = await handle.result();
  expect(result.phase).toBe('resolved');
  expect(elapsedMs(result)).toBeLessThan(HOUR);
});

test('markResolved is refused while the remediation is not awaiting the merchant', async () => {
  const accountID = await seedMerchant(h());
  const now = Date.parse((await h().admin.clock()).now);
  await h().admin.seedResolutionLink(accountID, { recipient: 'other@partner.test', expiresOn: new Date(now + 30 * DAY).toISOString() });
  const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));
  await waitForPhase(handle, 'waiting-for-active-link');

  const refusal = await handle.executeUpdate(markResolvedUpdate, { args: [{}] }).catch((err: Error) => err);
  expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(/not awaiting the merchant/);
  expect((await handle.query(statusQuery)).phase).toBe('waiting-for-active-link');
  await handle.cancel();
});

import { WorkflowUpdateStage } from '@temporalio/client';
import { ANY_ROUTE } from '../../src/sandbox/faults';
import { markResolvedUpdate, moovChangedSignal, statusQuery } from '../../src/workflows/definitions';
import { MERCHANT_EMAIL, seedMerchant, startRemediationWorkflow, useWorkflowHarness, waitForPhase } from './support/helpers';

/**
 * An operator's decision while a call is parked for a Moov outage: the remediation is still in the
 * step the call belongs to, so the request is accepted (not refused as "waiting-for-moov") and
 * acted on when the call goes on.
 */
const h = useWorkflowHarness();

test('markResolved during a follow-through check parked for an outage is accepted and ends the remediation resolved', async () => {
  const accountID = await seedMerchant(h());
  const handle = await startRemediationWorkflow(h(), { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } }, options: { followThrough: true } });
  await waitForPhase(handle, 'awaiting-merchant');

  // Moov goes down; its webhook wakes a check, whose read of the requirements parks.
  await h().admin.addFault({ route: ANY_ROUTE, accountID, fault: { status: 503 }, probability: 1 });
  await handle.signal(moovChangedSignal, { eventID: 'evt-outage-1', type: 'capability.updated' });
  await h().env.sleep('20 minutes');
  const parked = await handle.query(statusQuery);
  expect(parked.phase).toBe('waiting-for-moov');
  // A check reads the link and the requirements: whichever of its reads parked first is named.
  expect(['readRequirements', 'getResolutionLink']).toContain(parked.moovOutage?.operation);

  // Accepted now (before the fix: "Nothing to mark resolved: the remediation is waiting-for-moov").
  const decision = await handle.startUpdate(markResolvedUpdate, { args: [{ note: 'verified by phone' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
  await h().admin.call('DELETE', '/_sandbox/faults');
  // The parked read tries again within one wait; the server's clock moves only when told to.
  await h().env.sleep('10 minutes');
  const final = await decision.result();
  expect(final.phase).toBe('resolved');
  expect(final.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'operator', note: 'verified by phone' });
  expect(final.moovOutage).toBeUndefined();
});

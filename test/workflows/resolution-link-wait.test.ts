import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { REMEDIATION_PHASE } from '../../src/domain/search-attributes';
import { replaceActiveLinkUpdate, statusQuery } from '../../src/workflows/definitions';
import {
  HOUR,
  MERCHANT_EMAIL,
  elapsedMs,
  rootFailure,
  seedMerchant,
  startRemediationWorkflow,
  waitForPhase,
  useWorkflowHarness,
} from './support/helpers';

const DAY = 24 * HOUR;
const h = useWorkflowHarness();

/** Another party's link, already active on the account. */
async function seedForeignLink(accountID: string, expiresInMs: number) {
  const now = Date.parse((await h().admin.clock()).now);
  return h().admin.seedResolutionLink(accountID, {
    recipient: 'someone-else@partner.test',
    createdOn: new Date(now - HOUR).toISOString(),
    expiresOn: new Date(now + expiresInMs).toISOString(),
  });
}

function linkInput(accountID: string, options: Record<string, unknown> = {}) {
  return { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } }, options };
}

test('409 for another party\'s link: waits durably until it expires, then creates ours', async () => {
  const accountID = await seedMerchant(h());
  const foreign = await seedForeignLink(accountID, 2 * HOUR);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));

  const waiting = await waitForPhase(handle, 'waiting-for-active-link');
  expect(waiting.waitingFor).toMatchObject({ kind: 'active-link-expiry', activeLinkCode: foreign.code, activeLinkExpiresOn: foreign.expiresOn });
  expect(Date.parse(waiting.waitingFor!.until)).toBe(Date.parse(foreign.expiresOn) + 5 * 60_000);
  expect((await handle.describe()).typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('waiting-for-active-link');

  await h().admin.advanceClock(2 * HOUR + 10 * 60_000); // Moov's side: the foreign link expires
  const result = await handle.result();

  expect(result.resolutionLink).toMatchObject({ outcome: 'created', status: 'active' });
  // Woke at the expiry (2 h + margin), not at the 6 h poll.
  expect(elapsedMs(result)).toBeGreaterThanOrEqual(2 * HOUR);
  expect(elapsedMs(result)).toBeLessThan(6 * HOUR);
  const state = await h().admin.state(accountID);
  expect(state.resolutionLinks.map((l) => l.status).sort()).toEqual(['active', 'expired']);
  expect(state.resolutionLinks.find((l) => l.status === 'active')?.recipient).toBe(MERCHANT_EMAIL);
});

test('409 for our own create whose answer was lost: adopts the link at once, creates no second one', async () => {
  const accountID = await seedMerchant(h());
  await h().admin.addFault({
    route: 'POST /accounts/:accountID/resolution-links',
    accountID,
    sequence: [{ applyThenFail: 'status-500' }],
  });
  const result = await (await startRemediationWorkflow(h(), linkInput(accountID))).result();

  expect(result.resolutionLink).toMatchObject({ outcome: 'adopted', status: 'active' });
  expect(elapsedMs(result)).toBeLessThan(5 * 60_000);
  const state = await h().admin.state(accountID);
  expect(state.resolutionLinks).toHaveLength(1);
  expect(state.resolutionLinks[0]!.code).toBe(result.resolutionLink!.code);
  const creates = await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/resolution-links' });
  expect(creates.map((r) => r.status)).toEqual([500, 409]);
});

test('the wait ends early when the active link is completed before it expires', async () => {
  const accountID = await seedMerchant(h());
  const foreign = await seedForeignLink(accountID, 30 * DAY);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID, { activeLinkPollInterval: '6h' }));
  await waitForPhase(handle, 'waiting-for-active-link');

  await h().admin.patchResolutionLink(accountID, foreign.code, { status: 'completed' });
  const result = await handle.result();

  expect(result.resolutionLink?.outcome).toBe('created');
  // Seen at the first 6 h re-check instead of after 30 days.
  expect(elapsedMs(result)).toBeGreaterThanOrEqual(6 * HOUR);
  expect(elapsedMs(result)).toBeLessThan(7 * HOUR);
  const gets = await h().admin.requests({ accountID, route: 'GET /accounts/:accountID/resolution-links/:code' });
  expect(gets).toHaveLength(1);
});

test('replaceActiveLink: an operator ends the wait; the foreign link is disabled and ours created', async () => {
  const accountID = await seedMerchant(h());
  const foreign = await seedForeignLink(accountID, 30 * DAY);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));
  await waitForPhase(handle, 'waiting-for-active-link');

  const replaced = await handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'merchant asked for a new link' }] });
  expect(replaced).toEqual({ disabledLinkCode: foreign.code });
  const result = await handle.result();

  expect(result.disabledLinks).toEqual([foreign.code]);
  expect(result.resolutionLink?.outcome).toBe('created');
  expect(elapsedMs(result)).toBeLessThan(HOUR);
  const state = await h().admin.state(accountID);
  expect(state.resolutionLinks.find((l) => l.code === foreign.code)?.status).toBe('disabled');
  expect(state.resolutionLinks.find((l) => l.code === result.resolutionLink!.code)?.status).toBe('active');
});

test('replaceActiveLink is refused when the remediation is not waiting for a link', async () => {
  const accountID = await seedMerchant(h());
  const foreign = await seedForeignLink(accountID, 30 * DAY);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));
  await waitForPhase(handle, 'waiting-for-active-link');
  await handle.executeUpdate(replaceActiveLinkUpdate, { args: [{}] });
  await handle.result();
  // Completed: the update has nothing to act on and must say so rather than hang.
  await expect(handle.executeUpdate(replaceActiveLinkUpdate, { args: [{}] })).rejects.toThrow();
  expect((await h().admin.state(accountID)).resolutionLinks.filter((l) => l.code === foreign.code)[0]?.status).toBe('disabled');
});

test('maxActiveLinkWait ends the wait with a clear failure', async () => {
  const accountID = await seedMerchant(h());
  const foreign = await seedForeignLink(accountID, 30 * DAY);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID, { maxActiveLinkWait: '12h' }));

  const failure = await rootFailure(handle.result());
  expect(failure.type).toBe('ActiveLinkWaitExceeded');
  expect(failure.message).toContain(foreign.code);
  expect(failure.message).toContain('replaceActiveLink');
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('failed');
  expect(status.lastError?.type).toBe('ActiveLinkWaitExceeded');
  const description = await handle.describe();
  const waitedMs = description.closeTime!.getTime() - description.startTime.getTime();
  expect(waitedMs).toBeGreaterThanOrEqual(12 * HOUR);
  expect(waitedMs).toBeLessThan(13 * HOUR);
});

test('cancellation during the wait: the workflow ends cancelled and says so', async () => {
  const accountID = await seedMerchant(h());
  await seedForeignLink(accountID, 30 * DAY);
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));
  await waitForPhase(handle, 'waiting-for-active-link');

  await handle.cancel();
  const err = await handle.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const description = await handle.describe();
  expect(description.status.name).toBe('CANCELLED');
  expect(description.typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('cancelled');
  expect((await handle.query(statusQuery)).phase).toBe('cancelled');
  expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
});

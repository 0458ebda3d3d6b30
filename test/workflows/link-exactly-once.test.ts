import { DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';
import { HOUR, MERCHANT_EMAIL, elapsedMs, rootFailure, seedMerchant, seedPrincipal, startRemediationWorkflow, waitForPhase, useWorkflowHarness } from './support/helpers';

/**
 * Resolution links sent exactly once: our own link from an earlier run is adopted, another
 * party's link holds back only the link step, and the wait for it never spins, whatever Moov's
 * clock says and whatever Moov leaves out of its answer.
 */
const DAY = 24 * HOUR;
const OTHER_PARTNER = 'a6f3b0c2-0000-4000-8000-0000000000aa';
const LINK_ROUTES = ['POST /accounts/:accountID/resolution-links', 'GET /accounts/:accountID/resolution-links', 'GET /accounts/:accountID/resolution-links/:code'];
const h = useWorkflowHarness();

async function sandboxNow(): Promise<number> {
  return Date.parse((await h().admin.clock()).now);
}

function linkInput(accountID: string, options: Record<string, unknown> = {}) {
  return { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } }, options };
}

/** Another platform's active link on the account: created an hour ago, sent to someone else unless said. */
async function seedOtherPartnersLink(accountID: string, expiresInMs: number, extra: Record<string, unknown> = {}) {
  const now = await sandboxNow();
  return h().admin.seedResolutionLink(accountID, {
    recipient: 'someone-else@partner.test',
    partnerAccountID: OTHER_PARTNER,
    createdOn: new Date(now - HOUR).toISOString(),
    expiresOn: new Date(now + expiresInMs).toISOString(),
    ...extra,
  });
}

async function linkCalls(accountID: string): Promise<number> {
  const requests = await h().admin.requests({ accountID });
  return requests.filter((r) => LINK_ROUTES.includes(r.route)).length;
}

async function historyLength(workflowId: string): Promise<number> {
  const history = await h().env.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

describe('our own link from an earlier run', () => {
  test('is adopted at once: same partner, same recipient, created days before this run', async () => {
    const accountID = await seedMerchant(h());
    const now = await sandboxNow();
    const earlier = await h().admin.seedResolutionLink(accountID, {
      recipient: MERCHANT_EMAIL,
      createdOn: new Date(now - 3 * DAY).toISOString(),
      expiresOn: new Date(now + 27 * DAY).toISOString(),
    });

    const result = await (await startRemediationWorkflow(h(), linkInput(accountID))).result();

    expect(result.resolutionLink).toMatchObject({ code: earlier.code, outcome: 'adopted', status: 'active' });
    expect(elapsedMs(result)).toBeLessThan(5 * 60_000);
    expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
  });

  test('a second run for the same merchant adopts the link the first run sent', async () => {
    const accountID = await seedMerchant(h());
    const first = await (await startRemediationWorkflow(h(), linkInput(accountID))).result();
    expect(first.resolutionLink?.outcome).toBe('created');
    // A week later by both clocks: well past any allowance for clock skew.
    await h().env.sleep(7 * DAY);
    await h().admin.advanceClock(7 * DAY);

    const second = await (await startRemediationWorkflow(h(), linkInput(accountID))).result();

    expect(second.resolutionLink).toMatchObject({ code: first.resolutionLink!.code, outcome: 'adopted' });
    expect(elapsedMs(second)).toBeLessThan(5 * 60_000);
    expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
  });

  test('another partner\'s link to the same recipient is not ours: the link step waits for it', async () => {
    const accountID = await seedMerchant(h());
    const foreign = await seedOtherPartnersLink(accountID, 30 * DAY, { recipient: MERCHANT_EMAIL });
    const handle = await startRemediationWorkflow(h(), linkInput(accountID));

    const waiting = await waitForPhase(handle, 'waiting-for-active-link');
    expect(waiting.waitingFor?.activeLinkCode).toBe(foreign.code);
    expect(DEFAULT_PARTNER_ACCOUNT_ID).not.toBe(OTHER_PARTNER);
    await handle.cancel();
  });

  test('the connection and payment links do not wait behind another party\'s link', async () => {
    const accountID = await seedMerchant(h());
    const principalAccountID = await seedPrincipal(h());
    const { code } = await h().admin.seedPaymentLink(accountID);
    await seedOtherPartnersLink(accountID, 30 * DAY);
    const handle = await startRemediationWorkflow(h(), {
      ...linkInput(accountID),
      connection: { principalAccountID },
      paymentLinks: [{ code, update: { display: { title: 'Yoga class' } } }],
    });

    const waiting = await waitForPhase(handle, 'waiting-for-active-link');

    expect(waiting.connection?.outcome).toBe('shared');
    expect(waiting.paymentLinks).toEqual([expect.objectContaining({ code, state: 'updated' })]);
    const state = await h().admin.state(accountID);
    expect(state.connections.map((c) => c.principalAccountID)).toEqual([principalAccountID]);
    expect(state.paymentLinks.find((l) => l.code === code)?.display?.title).toBe('Yoga class');
    await handle.cancel();
  });
});

describe('the wait never spins', () => {
  /**
   * The time-skipping server moves the workflow's clock by hours while the sandbox's (Moov's)
   * clock stays put: Moov's clock is behind ours by the whole wait, and the foreign link stays
   * active by Moov's word long after it expired by ours.
   */
  const seedLinkMoovKeepsActive = (accountID: string) => seedOtherPartnersLink(accountID, HOUR);

  test.each([
    ['the default poll interval', {}],
    ['a poll interval of one second', { activeLinkPollInterval: '1 second' }],
  ])('Moov\'s clock behind ours until the wait limit, with %s: at most 60 Moov calls per hour of waiting', async (_name, pollOptions) => {
    const accountID = await seedMerchant(h());
    const foreign = await seedLinkMoovKeepsActive(accountID);
    const handle = await startRemediationWorkflow(h(), linkInput(accountID, { maxActiveLinkWait: '3 hours', ...pollOptions }));

    const failure = await rootFailure(handle.result());

    expect(failure.type).toBe('ActiveLinkWaitExceeded');
    expect(failure.message).toContain(foreign.code);
    const description = await handle.describe();
    const waitedHours = (description.closeTime!.getTime() - description.startTime.getTime()) / HOUR;
    expect(waitedHours).toBeGreaterThanOrEqual(3);
    expect(waitedHours).toBeLessThan(3.5);
    expect(await linkCalls(accountID)).toBeLessThanOrEqual(60 * waitedHours);
    expect(await historyLength(handle.workflowId)).toBeLessThan(1000);
    expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
  });
});

describe('a link Moov lists without status', () => {
  test('an active link without status is waited on, not retried against for an hour', async () => {
    const accountID = await seedMerchant(h());
    const foreign = await seedOtherPartnersLink(accountID, 30 * DAY, { statusOmitted: true });
    const handle = await startRemediationWorkflow(h(), linkInput(accountID));

    const waiting = await waitForPhase(handle, 'waiting-for-active-link');

    expect(waiting.waitingFor?.activeLinkCode).toBe(foreign.code);
    const creates = await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/resolution-links' });
    expect(creates).toHaveLength(1);
    await handle.cancel();
  });

  test('a disabled link without status ends the wait: ours is created', async () => {
    const accountID = await seedMerchant(h());
    const foreign = await seedOtherPartnersLink(accountID, 30 * DAY, { statusOmitted: true });
    const handle = await startRemediationWorkflow(h(), linkInput(accountID));
    await waitForPhase(handle, 'waiting-for-active-link');
    // Moov answers with disabledOn and still no status.
    await h().admin.patchResolutionLink(accountID, foreign.code, { status: 'disabled' });

    const result = await handle.result();

    expect(result.resolutionLink?.outcome).toBe('created');
    expect(result.resolutionLink?.code).not.toBe(foreign.code);
    // Seen at the first 6 h re-check.
    expect(elapsedMs(result)).toBeLessThan(7 * HOUR);
  });

  test('a 409 while Moov lists the link without status past its expiry by our clock: waited on, paced, never a hot retry', async () => {
    const accountID = await seedMerchant(h());
    // Moov says "active" (409) about a link whose expiresOn has passed: Moov's clock is behind.
    await seedOtherPartnersLink(accountID, -HOUR, { statusOmitted: true, createdOn: new Date((await sandboxNow()) - 2 * HOUR).toISOString() });
    await h().admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, sequence: Array.from({ length: 40 }, () => ({ status: 409 })) });
    const handle = await startRemediationWorkflow(h(), linkInput(accountID));

    const result = await handle.result();

    expect(result.resolutionLink?.outcome).toBe('created');
    // Moov calls about the link, by the workflow's clock: a create attempt is a create plus a list.
    const calls = h()
      .attempts.filter((a) => a.workflowId === handle.workflowId)
      .flatMap((a) => (a.activityType === 'createResolutionLink' ? [a.startedAtMs, a.startedAtMs] : a.activityType === 'getResolutionLink' ? [a.startedAtMs] : []));
    const busiestHour = Math.max(...calls.map((start) => calls.filter((at) => at >= start && at < start + HOUR).length));
    expect(busiestHour).toBeLessThanOrEqual(60);
  });
});

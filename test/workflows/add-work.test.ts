import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startRemediation } from '../../src/client';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { addWorkUpdate, markResolvedUpdate, moovChangedSignal, replaceActiveLinkUpdate, statusQuery } from '../../src/workflows/definitions';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { eventually } from '../support/eventually';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { MERCHANT_EMAIL, seedMerchant as seedMerchantIn } from './support/helpers';

/**
 * Work added to a running remediation (the addWork update, sent by startRemediation with
 * update-with-start), on the real dev server (update-with-start needs it) and the sandbox.
 */
let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev');
});
afterAll(async () => {
  await h?.close();
});

const MERCHANT = MERCHANT_EMAIL;
const DAY = 86_400_000;
const seedMerchant = () => seedMerchantIn(h);

async function statusOf(accountID: string): Promise<RemediationStatus> {
  return h.env.client.workflow.getHandle(remediationWorkflowId(accountID)).query(statusQuery);
}

function statusWhen(accountID: string, what: string, check: (s: RemediationStatus) => boolean, timeoutMs = 30_000): Promise<RemediationStatus> {
  return eventually(what, async () => {
    const status = await statusOf(accountID);
    return check(status) ? status : undefined;
  }, timeoutMs);
}

test('a file added while the remediation waits on another party\'s link is uploaded during the wait, with an answer per item', async () => {
  const accountID = await seedMerchant();
  const now = Date.parse((await h.admin.clock()).now);
  await h.admin.seedResolutionLink(accountID, { recipient: 'other@partner.test', expiresOn: new Date(now + 20 * DAY).toISOString() });
  const link = { resolutionLink: { recipient: { email: MERCHANT } } };

  const first = await startRemediation(h.env.client, { accountID, ...link, options: { followThrough: false } }, { taskQueue: h.taskQueue });
  expect(first.started).toBe(true);
  expect(first.items).toEqual([{ kind: 'resolutionLink', key: 'email', outcome: 'accepted' }]);
  await statusWhen(accountID, 'the wait for the other link', (s) => s.phase === 'waiting-for-active-link');

  const second = await startRemediation(
    h.env.client,
    { accountID, ...link, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }], options: { followThrough: false } },
    { taskQueue: h.taskQueue },
  );
  expect(second).toMatchObject({ started: false, runId: first.runId });
  expect(second.items).toEqual([
    { kind: 'file', key: 'identity_verification:passport.pdf', outcome: 'accepted' },
    { kind: 'resolutionLink', key: 'email', outcome: 'already-present' },
  ]);

  // Uploaded while the wait goes on: the run is back to waiting for the same link, the file is at Moov.
  const after = await statusWhen(accountID, 'the added file uploaded', (s) => s.files[0]?.state === 'uploaded' && s.phase === 'waiting-for-active-link');
  expect(after.files).toHaveLength(1);
  expect(after.waitingFor?.activeLinkCode).toBeDefined();
  expect((await h.admin.state(accountID)).files.map((f) => f.fileName)).toEqual(['passport.pdf']);

  // Again: the same file (another spelling of its path) is already there; another recipient is refused.
  const third = await startRemediation(
    h.env.client,
    { accountID, resolutionLink: { recipient: { email: 'someone-else@merchant.test' } }, files: [{ path: './passport.pdf', filePurpose: 'identity_verification' }] },
    { taskQueue: h.taskQueue },
  );
  expect(third.started).toBe(false);
  expect(third.items).toEqual([
    { kind: 'file', key: 'identity_verification:passport.pdf', outcome: 'already-present' },
    { kind: 'resolutionLink', key: 'email', outcome: 'refused', reason: expect.stringContaining('another recipient') },
  ]);

  await first.handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'test' }] });
  const result = await first.handle.result();
  expect(result.phase).toBe('completed');
  expect((await h.admin.state(accountID)).files).toHaveLength(1);
  // No contact of the refused recipient reached Moov.
  expect((await h.admin.state(accountID)).resolutionLinks.map((l) => l.recipient)).not.toContain('someone-else@merchant.test');
});

test('work added during follow-through: back to work, then a fresh look at Moov; the run ends with the work done', async () => {
  const accountID = await seedMerchant();
  const principal = (await h.admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' })).accountID;
  const started = await startRemediation(h.env.client, { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] }, { taskQueue: h.taskQueue });
  const watching = await statusWhen(accountID, 'the first follow-through check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.lastCheckedAt);

  const added = await startRemediation(
    h.env.client,
    { accountID, files: [{ path: 'utility-bill.png', filePurpose: 'business_verification' }], connection: { principalAccountID: principal } },
    { taskQueue: h.taskQueue },
  );
  expect(added.started).toBe(false);
  expect(added.items.map((i) => i.outcome)).toEqual(['accepted', 'accepted']);

  const after = await statusWhen(
    accountID,
    'the added work done and Moov read again',
    (s) => s.phase === 'awaiting-merchant' && s.files[1]?.state === 'uploaded' && s.followThrough?.lastCheckedAt !== watching.followThrough?.lastCheckedAt,
  );
  expect(after.files.map((f) => f.state)).toEqual(['uploaded', 'uploaded']);
  expect(after.connection?.principalAccountID).toBe(principal);
  expect((await h.admin.state(accountID)).connections.map((c) => c.principalAccountID)).toEqual([principal]);

  // A second principal cannot join this remediation; the same one is already there.
  const again = await startRemediation(h.env.client, { accountID, connection: { principalAccountID: principal } }, { taskQueue: h.taskQueue });
  expect(again.items).toEqual([{ kind: 'connection', key: principal, outcome: 'already-present' }]);
  await started.handle.cancel();
});

test('the validator refuses bad items before they enter history; a finished remediation gets a fresh start', async () => {
  const accountID = await seedMerchant();
  const started = await startRemediation(h.env.client, { accountID, resolutionLink: { recipient: { email: MERCHANT } } }, { taskQueue: h.taskQueue });
  await statusWhen(accountID, 'follow-through', (s) => s.phase === 'awaiting-merchant');
  const refused = await started.handle
    .executeUpdate(addWorkUpdate, { args: [{ work: { files: [{ path: '../etc/passwd', filePurpose: 'identity_verification' }] } as never }] })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/files\.0\.path: must not contain '\.\.'/);
  // The one accepted update is the start's own (update-with-start); the refused one left no trace.
  const history = await started.handle.fetchHistory();
  expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);

  // Ended: the next start is a new run that does the work itself.
  await started.handle.executeUpdate(markResolvedUpdate, { args: [{ note: 'test' }] });
  await started.handle.result();
  const next = await startRemediation(h.env.client, { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] }, { taskQueue: h.taskQueue });
  expect(next.started).toBe(true);
  expect(next.runId).not.toBe(started.runId);
  expect(next.items).toEqual([{ kind: 'file', key: 'identity_verification:passport.pdf', outcome: 'accepted' }]);
  await statusWhen(accountID, 'the new run uploading', (s) => s.files[0]?.state === 'uploaded');
  await next.handle.cancel();
});

test("Moov's webhook wakes follow-through at once; the same eventID again has no effect", async () => {
  const accountID = await seedMerchant();
  const started = await startRemediation(h.env.client, { accountID, resolutionLink: { recipient: { email: MERCHANT } } }, { taskQueue: h.taskQueue });
  await statusWhen(accountID, 'the first check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.nextCheckAt);
  const reads = async () => (await h.admin.requests({ accountID })).filter((r) => r.route === 'GET /accounts/:accountID/capabilities').length;
  const before = await reads();

  await h.admin.patchCapability(accountID, 'collect-funds', { status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
  const notice = { eventID: 'evt-1', type: 'capability.updated', createdOn: new Date().toISOString() };
  await started.handle.signal(moovChangedSignal, notice);
  const result = await started.handle.result();
  expect(result.phase).toBe('resolved');
  // One more read of Moov, not a wait for the 24-hour poll.
  expect(await reads()).toBe(before + 1);
  expect(Date.parse(result.finishedAt!) - Date.parse(result.followThrough!.lastCheckedAt!)).toBeLessThan(5_000);
});

test('a repeated eventID wakes nothing: one look at Moov per distinct event', async () => {
  const accountID = await seedMerchant();
  const started = await startRemediation(h.env.client, { accountID, resolutionLink: { recipient: { email: MERCHANT } } }, { taskQueue: h.taskQueue });
  const first = await statusWhen(accountID, 'the first check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.nextCheckAt);
  const notice = { eventID: 'evt-repeat', type: 'account.updated' };
  await started.handle.signal(moovChangedSignal, notice);
  const second = await statusWhen(accountID, 'the look the event asked for', (s) => s.followThrough?.lastCheckedAt !== first.followThrough?.lastCheckedAt && !!s.followThrough?.nextCheckAt);
  await started.handle.signal(moovChangedSignal, notice);
  await started.handle.signal(moovChangedSignal, { eventID: 'evt-other', type: 'account.updated' });
  const third = await statusWhen(accountID, 'the look for the other event', (s) => s.followThrough?.lastCheckedAt !== second.followThrough?.lastCheckedAt);
  const history = await started.handle.fetchHistory();
  const signals = history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  expect(signals).toBe(3);
  // Three deliveries, two distinct events: two looks after the first (the repeat added none).
  const looks = (await h.admin.requests({ accountID })).filter((r) => r.route === 'GET /accounts/:accountID/capabilities').length;
  expect(looks).toBe(3);
  expect(third.phase).toBe('awaiting-merchant');
  await started.handle.cancel();
});

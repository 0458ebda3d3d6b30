import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { createResolutionLinkActivities } from '../../../src/activities/resolution-link-activities';
import type { ResolutionLink } from '../../../src/moov';
import { runActivity } from '../support/activity-env';
import { moovAnswer, rejectWith } from '../support/moov-errors';
import { ok, stubMoov, type MoovCalls } from '../support/stub-moov';

/**
 * The resolution-link adapters' branches that are hard to reach end to end: what a 409 on create
 * means depending on what Moov then lists, and which statuses answer a lookup or a disable.
 */

const ACCOUNT = 'acct-1';
const PARTNER = 'partner-1';
const RECIPIENT = { email: 'merchant@example.com' };

function link(code: string, fields: Partial<ResolutionLink> = {}): ResolutionLink {
  return {
    code,
    accountID: ACCOUNT,
    partnerAccountID: PARTNER,
    recipient: 'merchant@example.com',
    url: `https://moov.example/r/${code}`,
    createdOn: '2026-12-01T00:00:00Z',
    updatedOn: '2026-12-01T00:00:00Z',
    expiresOn: '2026-12-31T00:00:00Z',
    ...fields,
  };
}

function activities(answers: Partial<MoovCalls>, partnerAccountID?: string) {
  const stub = stubMoov(answers);
  return { ...stub, ...createResolutionLinkActivities({ moov: stub.moov, ...(partnerAccountID !== undefined && { partnerAccountID }) }) };
}

/** A 409 on create, then this list of the account's links. */
function conflictThenList(links: ResolutionLink[]) {
  return activities({
    createResolutionLink: rejectWith(moovAnswer('createResolutionLink', 409, { requestId: 'req-conflict', body: { error: 'an active link exists' } })),
    listResolutionLinks: () => ok(links, 'req-list'),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('createResolutionLink', () => {
  test('created: the link comes back as a view, telling our partner account apart case-insensitively', async () => {
    const { createResolutionLink, calls } = activities({ createResolutionLink: () => ok(link('new', { status: 'active' }), 'req-create') }, PARTNER.toUpperCase());
    const outcome = await runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]);
    expect(outcome).toEqual({
      outcome: 'created',
      requestId: 'req-create',
      link: { code: 'new', url: 'https://moov.example/r/new', status: 'active', recipient: 'merchant@example.com', createdOn: '2026-12-01T00:00:00Z', expiresOn: '2026-12-31T00:00:00Z', fromThisPartner: true },
    });
    expect(calls).toEqual([{ method: 'createResolutionLink', args: [ACCOUNT, { recipient: RECIPIENT }] }]);
  });

  test('409 with an active link listed: active-exists with the newest active one and the 409\'s request id', async () => {
    const { createResolutionLink, calls } = conflictThenList([
      link('old-active', { status: 'active', createdOn: '2026-11-01T00:00:00Z' }),
      link('expired', { status: 'expired', createdOn: '2026-12-05T00:00:00Z' }),
      link('new-active', { status: 'active', createdOn: '2026-11-20T00:00:00Z' }),
    ]);
    const outcome = await runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]);
    expect(outcome).toMatchObject({ outcome: 'active-exists', requestId: 'req-conflict', link: { code: 'new-active', status: 'active' } });
    // No partner account configured: nothing claims the link is ours or theirs.
    expect(outcome.link).not.toHaveProperty('fromThisPartner');
    expect(calls.map((c) => c.method)).toEqual(['createResolutionLink', 'listResolutionLinks']);
  });

  test('409 with a status-less link that is not disabled: it counts as active, even past its expiresOn', async () => {
    const { createResolutionLink } = conflictThenList([
      link('disabled-no-status', { disabledOn: '2026-12-02T00:00:00Z', createdOn: '2026-12-03T00:00:00Z' }),
      link('no-status', { expiresOn: '2020-01-01T00:00:00Z' }),
    ]);
    const outcome = await runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]);
    expect(outcome).toMatchObject({ outcome: 'active-exists', link: { code: 'no-status' } });
    expect(outcome.link).not.toHaveProperty('status');
  });

  test('409: a link Moov lists as active wins over a newer status-less one', async () => {
    const { createResolutionLink } = conflictThenList([
      link('no-status-newer', { createdOn: '2026-12-10T00:00:00Z' }),
      link('active-older', { status: 'active', createdOn: '2026-12-01T00:00:00Z' }),
    ]);
    const outcome = await runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]);
    expect(outcome.link.code).toBe('active-older');
  });

  const nothingActive = () => [
    link('expired', { status: 'expired' }),
    link('disabled', { status: 'disabled' }),
    link('submitted', { status: 'submitted' }),
    link('disabled-no-status', { disabledOn: '2026-12-02T00:00:00Z' }),
  ];

  test('409 with no active link listed: LinkConflictRace, retried soon (no delay) on the first attempt, benign', async () => {
    const { createResolutionLink } = conflictThenList(nothingActive());
    const failure = await failureOf(runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }], { attempt: 1 }));
    expect(failure.type).toBe('MoovLinkConflictRace');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.category).toBe(ApplicationFailureCategory.BENIGN);
    expect(failure.nextRetryDelay).toBeUndefined();
    expect(failure.message).toMatch(/409 for account acct-1 but lists no active resolution link/);
    expect(failure.details).toEqual([{ operation: 'createResolutionLink', status: 409, requestId: 'req-conflict' }]);
  });

  test('409 with no active link listed again on a later attempt: the retry waits 3 minutes', async () => {
    const { createResolutionLink } = conflictThenList(nothingActive());
    const failure = await failureOf(runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }], { attempt: 2 }));
    expect(failure.type).toBe('MoovLinkConflictRace');
    expect(failure.nextRetryDelay).toBe(3 * 60 * 1000);
  });

  test('409, then the list itself fails with 503: that failure, retryable with Moov\'s wait hint', async () => {
    const { createResolutionLink } = activities({
      createResolutionLink: rejectWith(moovAnswer('createResolutionLink', 409)),
      listResolutionLinks: rejectWith(moovAnswer('listResolutionLinks', 503, { retryAfterMs: 2_000 })),
    });
    const failure = await failureOf(runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]));
    expect([failure.type, failure.nonRetryable, failure.nextRetryDelay]).toEqual(['MoovServerError', false, 2_000]);
    expect(failure.details?.[0]).toMatchObject({ operation: 'listResolutionLinks', status: 503 });
  });

  test('422: a non-retryable validation failure carrying Moov\'s field errors, and no list call', async () => {
    const { createResolutionLink, calls } = activities({
      createResolutionLink: rejectWith(moovAnswer('createResolutionLink', 422, { body: { email: 'must be a valid email' } })),
    });
    const failure = await failureOf(runActivity(createResolutionLink, [{ accountID: ACCOUNT, recipient: RECIPIENT }]));
    expect([failure.type, failure.nonRetryable]).toEqual(['MoovValidationError', true]);
    expect(failure.details?.[0]).toMatchObject({ fieldErrors: { email: 'must be a valid email' } });
    expect(calls).toHaveLength(1);
  });
});

describe('getResolutionLink', () => {
  test('found: the link as a view', async () => {
    const { getResolutionLink } = activities({ getResolutionLink: () => ok(link('c1', { status: 'submitted' }), 'req-get') });
    await expect(runActivity(getResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }])).resolves.toMatchObject({ requestId: 'req-get', link: { code: 'c1', status: 'submitted' } });
  });

  test('404: no link (gone is an answer, not a failure)', async () => {
    const { getResolutionLink, calls } = activities({ getResolutionLink: rejectWith(moovAnswer('getResolutionLink', 404, { requestId: 'req-404' })) });
    await expect(runActivity(getResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }])).resolves.toEqual({ requestId: 'req-404' });
    expect(calls).toEqual([{ method: 'getResolutionLink', args: [ACCOUNT, 'c1'] }]);
  });

  test('409 does not answer a lookup: a non-retryable MoovConflict', async () => {
    const { getResolutionLink } = activities({ getResolutionLink: rejectWith(moovAnswer('getResolutionLink', 409)) });
    const failure = await failureOf(runActivity(getResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }]));
    expect([failure.type, failure.nonRetryable]).toEqual(['MoovConflict', true]);
  });
});

describe('disableResolutionLink', () => {
  test('204: disabled', async () => {
    const { disableResolutionLink, calls } = activities({ disableResolutionLink: () => ok(undefined, 'req-del', 204) });
    await expect(runActivity(disableResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }])).resolves.toEqual({ outcome: 'disabled', requestId: 'req-del' });
    expect(calls).toEqual([{ method: 'disableResolutionLink', args: [ACCOUNT, 'c1'] }]);
  });

  test.each([404, 409])('%d: already gone (a retry after a lost 204 meets it)', async (status) => {
    const { disableResolutionLink } = activities({ disableResolutionLink: rejectWith(moovAnswer('disableResolutionLink', status, { requestId: `req-${status}` })) });
    await expect(runActivity(disableResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }])).resolves.toEqual({ outcome: 'already-gone', requestId: `req-${status}` });
  });

  test('500: a retryable MoovServerError, not already-gone', async () => {
    const { disableResolutionLink } = activities({ disableResolutionLink: rejectWith(moovAnswer('disableResolutionLink', 500, { requestId: 'req-500' })) });
    const failure = await failureOf(runActivity(disableResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }]));
    expect([failure.type, failure.nonRetryable, failure.category]).toEqual(['MoovServerError', false, undefined]);
    expect(failure.details).toEqual([{ operation: 'disableResolutionLink', status: 500, requestId: 'req-500' }]);
  });

  test('429: retried after Moov\'s wait, and benign', async () => {
    const { disableResolutionLink } = activities({ disableResolutionLink: rejectWith(moovAnswer('disableResolutionLink', 429, { retryAfterMs: 1_500 })) });
    const failure = await failureOf(runActivity(disableResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }]));
    expect([failure.type, failure.nonRetryable, failure.nextRetryDelay, failure.category]).toEqual(['MoovRateLimited', false, 1_500, ApplicationFailureCategory.BENIGN]);
  });

  test('an error that is not a MoovError is not turned into a Moov failure', async () => {
    const bug = new TypeError('a bug in the client');
    const { disableResolutionLink } = activities({ disableResolutionLink: () => Promise.reject(bug) });
    await expect(runActivity(disableResolutionLink, [{ accountID: ACCOUNT, code: 'c1' }])).rejects.toBe(bug);
  });
});

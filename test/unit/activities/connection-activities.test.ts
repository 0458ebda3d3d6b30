import { ApplicationFailure } from '@temporalio/common';
import { createConnectionActivities } from '../../../src/activities/connection-activities';
import { runActivity } from '../support/activity-env';
import { moovAnswer, rejectWith } from '../support/moov-errors';
import { ok, stubMoov, type MoovCalls } from '../support/stub-moov';

/** shareConnection: a 409 is Moov's word that a connection exists, whose scopes Moov will not show. */

const input = { accountID: 'acct-1', connection: { principalAccountID: 'principal-1', allowScopes: ['accounts.read' as const] } };

function shareConnection(answers: Partial<MoovCalls>) {
  const stub = stubMoov(answers);
  return { ...stub, shareConnection: createConnectionActivities({ moov: stub.moov }).shareConnection };
}

test('201: shared, with the connection sent as given', async () => {
  const { shareConnection: share, calls } = shareConnection({ shareConnection: () => ok(undefined, 'req-share', 201) });
  await expect(runActivity(share, [input])).resolves.toEqual({ outcome: 'shared', requestId: 'req-share' });
  expect(calls).toEqual([{ method: 'shareConnection', args: ['acct-1', input.connection] }]);
});

test('409: already connected, scopes unverified, keeping Moov\'s message and request id', async () => {
  const { shareConnection: share } = shareConnection({
    shareConnection: rejectWith(moovAnswer('shareConnection', 409, { requestId: 'req-409', body: { error: 'connection already exists' } })),
  });
  await expect(runActivity(share, [input])).resolves.toEqual({ outcome: 'already-connected-scopes-unverified', moovMessage: 'connection already exists', requestId: 'req-409' });
});

test('404: not an answer for a share; a non-retryable MoovNotFound', async () => {
  const { shareConnection: share } = shareConnection({ shareConnection: rejectWith(moovAnswer('shareConnection', 404)) });
  const err = await runActivity(share, [input]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect([(err as ApplicationFailure).type, (err as ApplicationFailure).nonRetryable]).toEqual(['MoovNotFound', true]);
});

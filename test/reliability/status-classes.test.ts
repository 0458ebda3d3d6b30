import { toApplicationFailure } from '../../src/activities/moov-failure';
import { NON_RETRYABLE_FAILURE_TYPES } from '../../src/domain/failure-types';
import type { RemediationInput } from '../../src/domain/remediation-input';
import { httpError } from '../../src/moov/errors';
import { statusQuery } from '../../src/workflows/definitions';
import { rootFailure, seedMerchant, startRemediationWorkflow, useWorkflowHarness } from '../workflows/support/helpers';

/**
 * The HTTP statuses whose class is easy to get wrong, end to end on the time-skipping server
 * against the sandbox's scripted faults: 408 (the server gave up waiting for the request,
 * RFC 9110 §15.5.9) and 425 (too early to replay, RFC 8470 §5.2) say "ask again later", so the
 * retry policy retries them; 501 (the server does not implement the call, RFC 9110 §15.6.2)
 * cannot change on a retry, so it ends the remediation after one call.
 */
const h = useWorkflowHarness();
const PATCH = 'PATCH /accounts/:accountID/payment-links/:code';

async function paymentLinkRemediation(): Promise<{ input: RemediationInput; code: string }> {
  const accountID = await seedMerchant(h());
  const { code } = await h().admin.seedPaymentLink(accountID);
  return { code, input: { accountID, paymentLinks: [{ code, update: { display: { title: 'Yoga class' } } }] } };
}

test('408 then 425 from Moov: retried by the policy, the update lands once and the remediation completes', async () => {
  const { input, code } = await paymentLinkRemediation();
  await h().admin.addFault({ route: PATCH, accountID: input.accountID, sequence: [{ status: 408 }, { status: 425 }] });

  const handle = await startRemediationWorkflow(h(), input);
  const result = await handle.result();

  const patches = (await h().admin.requests({ accountID: input.accountID })).filter((c) => c.route === PATCH);
  expect(patches.map((c) => c.status)).toEqual([408, 425, 200]);
  const attempts = h().attempts.filter((a) => a.workflowId === handle.workflowId && a.activityType === 'updatePaymentLink');
  expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  expect(result.phase).toBe('completed');
  expect(result.paymentLinks).toEqual([expect.objectContaining({ code, state: 'updated' })]);
  expect((await h().admin.state(input.accountID)).paymentLinks.find((l) => l.code === code)?.display?.title).toBe('Yoga class');
});

test('501 from Moov: not retried; fails after exactly one call with MoovNotImplemented and a message that says why', async () => {
  const { input, code } = await paymentLinkRemediation();
  await h().admin.addFault({ route: PATCH, accountID: input.accountID, fault: { status: 501 }, times: 5 });
  const before = (await h().admin.state(input.accountID)).paymentLinks;

  const handle = await startRemediationWorkflow(h(), input);
  const failure = await rootFailure(handle.result());

  const patches = (await h().admin.requests({ accountID: input.accountID })).filter((c) => c.route === PATCH);
  expect(patches.map((c) => c.status)).toEqual([501]);
  expect(h().attempts.filter((a) => a.workflowId === handle.workflowId).map((a) => [a.activityType, a.attempt])).toEqual([['updatePaymentLink', 1]]);
  expect(failure.type).toBe('MoovNotImplemented');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toBe(
    `updatePaymentLink failed: 501 Not Implemented — sandbox injected fault; Moov does not implement this call, so it is not retried (request id ${patches[0]!.requestId})`,
  );
  const status = await handle.query(statusQuery);
  expect(status.phase).toBe('failed');
  expect(status.lastError).toMatchObject({ type: 'MoovNotImplemented', status: 501, requestId: patches[0]!.requestId });
  expect(status.paymentLinks).toEqual([expect.objectContaining({ code, state: 'failed' })]);
  expect((await h().admin.state(input.accountID)).paymentLinks).toEqual(before);
});

describe('one decision: the activity failure and the retry policy agree for every status', () => {
  const statuses = Array.from({ length: 300 }, (_, i) => 300 + i);

  test.each([
    [408, 'MoovRequestTimeout', false],
    [425, 'MoovTooEarly', false],
    [429, 'MoovRateLimited', false],
    [500, 'MoovServerError', false],
    [501, 'MoovNotImplemented', true],
    [503, 'MoovServerError', false],
    [409, 'MoovConflict', true],
    [418, 'MoovClientError', true],
  ])('%d → %s (non-retryable: %s)', (status, type, nonRetryable) => {
    const failure = toApplicationFailure(httpError({ operation: 'op', status, requestId: 'r', retryAfterMs: undefined, bodyText: '' }));
    expect([failure.type, failure.nonRetryable]).toEqual([type, nonRetryable]);
  });

  test('a failure is marked non-retryable exactly when its type is on the policy’s non-retryable list', () => {
    const disagreements = statuses
      .map((status) => ({ status, failure: toApplicationFailure(httpError({ operation: 'op', status, requestId: 'r', retryAfterMs: undefined, bodyText: '' })) }))
      .filter(({ failure }) => failure.nonRetryable !== NON_RETRYABLE_FAILURE_TYPES.includes(failure.type!))
      .map(({ status, failure }) => `${status} ${failure.type}`);
    expect(disagreements).toEqual([]);
  });
});

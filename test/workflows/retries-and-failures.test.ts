import { rootFailure, seedMerchant, seedPrincipal, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

const h = useWorkflowHarness();

const SHARE_ROUTE = 'POST /accounts/:accountID/connections';

async function connectionRemediation() {
  const accountID = await seedMerchant(h());
  const principalAccountID = await seedPrincipal(h());
  return { accountID, input: { accountID, connection: { principalAccountID, allowScopes: ['accounts.read' as const] } } };
}

/** Gap between the first and second attempt of an activity, on the Temporal server's clock. */
function retryGapMs(workflowId: string, activityType: string): number {
  const attempts = h().attempts.filter((a) => a.workflowId === workflowId && a.activityType === activityType);
  expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
  return attempts[1]!.startedAtMs - attempts[0]!.startedAtMs;
}

// The retry policy's own first backoff is 1 s; each hint is far from it, so honouring it shows.
test.each([
  { form: 'Retry-After in seconds', headers: () => ({ 'Retry-After': '7' }), minMs: 7_000 },
  { form: 'Retry-After as an HTTP date', headers: () => ({ 'Retry-After': new Date(Date.now() + 10_000).toUTCString() }), minMs: 7_000 },
  { form: 'X-Retry-In in milliseconds', headers: () => ({ 'X-Retry-In': '4500' }), minMs: 4_500 },
  { form: 'retry-after-ms', headers: () => ({ 'retry-after-ms': '3200' }), minMs: 3_200 },
])('429 with $form: the next attempt waits for the server\'s hint', async ({ headers, minMs }) => {
  const { accountID, input } = await connectionRemediation();
  await h().admin.addFault({ route: SHARE_ROUTE, accountID, sequence: [{ status: 429, headers: headers() }] });

  const handle = await startRemediationWorkflow(h(), input);
  const result = await handle.result();

  expect(result.connection?.outcome).toBe('shared');
  const gap = retryGapMs(handle.workflowId, 'shareConnection');
  expect(gap).toBeGreaterThanOrEqual(minMs);
  expect(gap).toBeLessThan(minMs + 5_000);
  const calls = await h().admin.requests({ accountID, route: SHARE_ROUTE });
  expect(calls.map((c) => c.status)).toEqual([429, 201]);
});

test('a 5xx storm is retried until Moov recovers; the update lands once', async () => {
  const accountID = await seedMerchant(h());
  const { code } = await h().admin.seedPaymentLink(accountID);
  const route = 'PATCH /accounts/:accountID/payment-links/:code';
  await h().admin.addFault({
    route,
    accountID,
    sequence: [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }, { status: 503 }],
  });

  const result = await (
    await startRemediationWorkflow(h(), {
      accountID,
      paymentLinks: [{ code, update: { amount: { currency: 'USD', value: 4200 }, display: { title: 'Yoga class', description: 'Weekly', callToAction: 'pay' } } }],
    })
  ).result();

  expect(result.phase).toBe('completed');
  expect(result.paymentLinks).toEqual([expect.objectContaining({ code, state: 'updated', status: 'active' })]);
  const calls = await h().admin.requests({ accountID, route });
  expect(calls.map((c) => c.status)).toEqual([500, 502, 503, 504, 503, 200]);
  const state = await h().admin.state(accountID);
  expect(state.paymentLinks[0]).toMatchObject({ amount: { currency: 'USD', value: 4200 }, display: { title: 'Yoga class' } });
});

test.each([
  { status: 400, type: 'MoovValidationError' },
  { status: 401, type: 'MoovAuthError' },
  { status: 403, type: 'MoovAuthError' },
  { status: 404, type: 'MoovNotFound' },
  { status: 422, type: 'MoovValidationError' },
])('$status is not retried: the remediation fails at once as $type with Moov\'s message and request id', async ({ status, type }) => {
  const { accountID, input } = await connectionRemediation();
  const body = status === 422 ? { principalAccountID: 'principal account is not eligible' } : { error: `scripted ${status}` };
  await h().admin.addFault({ route: SHARE_ROUTE, accountID, sequence: [{ status, body }] });

  const handle = await startRemediationWorkflow(h(), input);
  const failure = await rootFailure(handle.result());

  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(String(status));
  const details = failure.details?.[0] as { status?: number; requestId?: string };
  expect(details.status).toBe(status);
  expect(details.requestId).toMatch(/\S+/);
  const calls = await h().admin.requests({ accountID, route: SHARE_ROUTE });
  expect(calls).toHaveLength(1);
  expect(calls[0]!.requestId).toBe(details.requestId);
});

test('a 409 on the connection means already connected: not a failure, but its scopes are reported unverified', async () => {
  const { accountID, input } = await connectionRemediation();
  const first = await (await startRemediationWorkflow(h(), input)).result();
  const second = await (await startRemediationWorkflow(h(), input)).result();

  expect(first.connection?.outcome).toBe('shared');
  expect(second.phase).toBe('completed');
  expect(second.connection?.outcome).toBe('already-connected-scopes-unverified');
  expect((await h().admin.state(accountID)).connections).toHaveLength(1);
});

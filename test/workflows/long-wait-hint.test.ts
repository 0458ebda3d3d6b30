import { HOUR, MERCHANT_EMAIL, elapsedMs, rootFailure, seedMerchant, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

/**
 * A 429 whose wait hint is longer than what is left of the step's retry budget (stepRetryTimeout,
 * default 1 hour) is waited out durably in the workflow, then the step goes on.
 */
const CREATE_LINK = 'POST /accounts/:accountID/resolution-links';
const h = useWorkflowHarness();

function rateLimitOnce(accountID: string, retryAfter: string) {
  return h().admin.addFault({ route: CREATE_LINK, accountID, sequence: [{ status: 429, headers: { 'Retry-After': retryAfter } }] });
}

function linkInput(accountID: string) {
  return { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } } };
}

test('Retry-After: 7200 against the 1-hour budget: waits two hours, then creates the link', async () => {
  const accountID = await seedMerchant(h());
  await rateLimitOnce(accountID, '7200');
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));

  const result = await handle.result();

  expect(result.resolutionLink?.outcome).toBe('created');
  expect(elapsedMs(result)).toBeGreaterThanOrEqual(2 * HOUR);
  expect(elapsedMs(result)).toBeLessThan(2 * HOUR + 5 * 60_000);
  const creates = await h().admin.requests({ accountID, route: CREATE_LINK });
  expect(creates.map((r) => r.status)).toEqual([429, 200]);
  // The wait is a timer in history, not a sleeping activity.
  const history = await handle.fetchHistory();
  const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
  expect(timers.map((e) => Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds))).toContain(7200);
});

test('a hint longer than the remediation will ever wait fails after one call, saying Moov asked for more time', async () => {
  const accountID = await seedMerchant(h());
  await rateLimitOnce(accountID, String(30 * 3600));
  const handle = await startRemediationWorkflow(h(), linkInput(accountID));

  const failure = await rootFailure(handle.result());

  expect(failure.type).toBe('MoovRetriesExhausted');
  expect(failure.message).toMatch(/Moov asked to wait 30 hours/);
  expect(failure.message).toMatch(/more time than/);
  expect(await h().admin.requests({ accountID, route: CREATE_LINK })).toHaveLength(1);
});

// 408s, not 503s: a run of 5xx is an outage, and the call parks instead (test/reliability/upstream-refusals.test.ts).
test('short hints do not extend the budget: 408s and 1-second hints until stepRetryTimeout fail the step as before', async () => {
  const accountID = await seedMerchant(h());
  await h().admin.addFault({
    route: CREATE_LINK,
    accountID,
    probability: 1,
    faults: [{ status: 408 }, { status: 429, headers: { 'Retry-After': '1' } }],
  });
  const handle = await startRemediationWorkflow(h(), { ...linkInput(accountID), options: { stepRetryTimeout: '10 minutes' } });

  const failure = await rootFailure(handle.result());

  expect(failure.type).toBe('MoovRetriesExhausted');
  expect(failure.message).toMatch(/retry budget of 10 minutes \(stepRetryTimeout\) is spent/);
  const history = await handle.fetchHistory();
  expect((history.events ?? []).filter((e) => e.timerStartedEventAttributes)).toEqual([]);
  const description = await handle.describe();
  expect(description.closeTime!.getTime() - description.startTime.getTime()).toBeLessThan(11 * 60_000);
});

test('a long hint near the end of a budget the queue already spent: still a durable wait, never a failure', async () => {
  const accountID = await seedMerchant(h());
  // Eight minutes of 408s spend most of the 10-minute budget, then Moov asks for 5 minutes.
  const sequence = [...Array.from({ length: 50 }, () => ({ status: 408 })), { status: 429, headers: { 'Retry-After': '300' } }];
  await h().admin.addFault({ route: CREATE_LINK, accountID, sequence });
  const handle = await startRemediationWorkflow(h(), { ...linkInput(accountID), options: { stepRetryTimeout: '10 minutes' } });

  const result = await handle.result();

  expect(result.resolutionLink?.outcome).toBe('created');
  const creates = await h().admin.requests({ accountID, route: CREATE_LINK });
  expect(creates.at(-1)!.status).toBe(200);
  expect(creates.filter((r) => r.status === 429)).toHaveLength(1);
});

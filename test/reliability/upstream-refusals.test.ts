import { randomUUID } from 'node:crypto';
import type { ApplicationFailure } from '@temporalio/common';
import type { RemediationInput } from '../../src/domain/remediation-input';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import { statusQuery } from '../../src/workflows/definitions';
import { writeAccountFiles } from '../support/demo-files';
import type { SandboxRequest } from '../support/sandbox-admin';
import { MERCHANT_EMAIL, elapsedMs, rootFailure, seedMerchant, seedPrincipal, startRemediationWorkflow, useWorkflowHarness } from '../workflows/support/helpers';

/**
 * What the remediation does when Moov refuses or fails, measured on the time-skipping server
 * against the sandbox's scripted faults: refusals (401, 403, 404) end it at once with a message an
 * operator can act on and exactly one call; an outage (503 on every call) is retried by the
 * documented policy until the step's stepRetryTimeout, then fails saying so. The figures asserted
 * here are the ones in docs/reliability.md ("Upstream refusals").
 */
const h = useWorkflowHarness();

/** The retry policy in src/workflows/activity-proxies.ts. */
const POLICY = { initialMs: 500, coefficient: 1.5, maxIntervalMs: 10_000 };

/** When each attempt starts if every attempt fails at once: 0, 0.5 s, 1.25 s, 2.4 s, 4.1 s, … then every 10 s, while inside the budget. */
function attemptSchedule(budgetMs: number): number[] {
  const starts = [0];
  for (let gap = POLICY.initialMs, next = gap; next < budgetMs; gap = Math.min(gap * POLICY.coefficient, POLICY.maxIntervalMs), next += gap) {
    starts.push(next);
  }
  return starts;
}

const ROUTES = {
  listFiles: 'GET /accounts/:accountID/files',
  createLink: 'POST /accounts/:accountID/resolution-links',
  share: 'POST /accounts/:accountID/connections',
  patchPaymentLink: 'PATCH /accounts/:accountID/payment-links/:code',
};

interface Merchant {
  accountID: string;
  principalAccountID: string;
  code: string;
}

async function merchant(): Promise<Merchant> {
  const accountID = await seedMerchant(h());
  const principalAccountID = await seedPrincipal(h());
  const { code } = await h().admin.seedPaymentLink(accountID);
  return { accountID, principalAccountID, code };
}

function fullInput({ accountID, principalAccountID, code }: Merchant, options: RemediationInput['options'] = {}): RemediationInput {
  return {
    accountID,
    files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }],
    resolutionLink: { recipient: { email: MERCHANT_EMAIL } },
    connection: { principalAccountID, allowScopes: ['accounts.read'] },
    paymentLinks: [{ code, update: { display: { title: 'Yoga class' } } }],
    options,
  };
}

interface Outcome {
  failure: ApplicationFailure;
  status: RemediationStatus;
  calls: SandboxRequest[];
  attempts: { activityType: string; attempt: number }[];
  elapsedMs: number;
  wallMs: number;
}

async function runToFailure(input: RemediationInput): Promise<Outcome> {
  const wallStart = Date.now();
  const handle = await startRemediationWorkflow(h(), input);
  const failure = await rootFailure(handle.result());
  const wallMs = Date.now() - wallStart;
  const status = await handle.query(statusQuery);
  return {
    failure,
    status,
    calls: await h().admin.requests({ accountID: input.accountID }),
    attempts: h().attempts.filter((a) => a.workflowId === handle.workflowId).map(({ activityType, attempt }) => ({ activityType, attempt })),
    elapsedMs: elapsedMs(status),
    wallMs,
  };
}

/** The measured figures, printed once at the end (docs/reliability.md quotes them). */
const FIGURES: string[] = [];
afterAll(() => {
  if (FIGURES.length) console.log(['| case | calls to the failing route | attempts of the failing activity | workflow time | wall time |', '|---|---|---|---|---|', ...FIGURES].join('\n'));
});

function record(name: string, outcome: Outcome, failing?: { route: string; activityType: string }): void {
  const calls = failing ? outcome.calls.filter((c) => c.route === failing.route).length : outcome.calls.length;
  const attempts = failing ? outcome.attempts.filter((a) => a.activityType === failing.activityType).length : outcome.attempts.length;
  const workflowTime = outcome.elapsedMs < 1_000 ? `${outcome.elapsedMs} ms` : `${(outcome.elapsedMs / 1000).toFixed(1)} s`;
  FIGURES.push(`| ${name} | ${calls} | ${attempts} | ${workflowTime} | ${outcome.wallMs} ms |`);
}

/** lastError carries Moov's status and the request id of the call that failed. */
function expectLastError(outcome: Outcome, type: string, status: number): void {
  const last = outcome.calls.at(-1)!;
  expect(last.status).toBe(status);
  expect(outcome.status.phase).toBe('failed');
  expect(outcome.status.lastError).toMatchObject({ type, status, requestId: last.requestId, message: outcome.failure.message });
  expect(outcome.failure.message).toContain(last.requestId);
}

describe('refusals end the remediation at once, after one call', () => {
  test('401: names the credential variables; one call, not retried', async () => {
    const m = await merchant();
    // The first call of a full remediation is the file plan's list of the account's files.
    await h().admin.addFault({ route: ROUTES.listFiles, accountID: m.accountID, sequence: [{ status: 401, headers: { 'WWW-Authenticate': 'Basic' }, body: '' }] });

    const outcome = await runToFailure(fullInput(m));
    record('401 on the first call', outcome);

    expect(outcome.failure.type).toBe('MoovAuthError');
    expect(outcome.failure.nonRetryable).toBe(true);
    expect(outcome.failure.message).toMatch(/^listFiles failed: 401 Unauthorized — check MOOV_PUBLIC_KEY\/MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN \(request id [0-9a-f]{32}\)$/);
    expect(outcome.calls.map((c) => [c.route, c.status])).toEqual([[ROUTES.listFiles, 401]]);
    expect(outcome.attempts).toEqual([{ activityType: 'planFileUploads', attempt: 1 }]);
    expect(outcome.elapsedMs).toBeLessThan(2_000); // a first retry would come 1 s after the failure
    expectLastError(outcome, 'MoovAuthError', 401);
    const state = await h().admin.state(m.accountID);
    expect([state.files, state.resolutionLinks, state.connections]).toEqual([[], [], []]);
  });

  test.each([
    {
      operation: 'createResolutionLink',
      route: ROUTES.createLink,
      input: (m: Merchant): RemediationInput => ({ accountID: m.accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } } }),
      scopes: (id: string) => `/accounts/${id}/profile.write, /accounts/${id}/representatives.write, /accounts/${id}/files.write`,
    },
    {
      operation: 'updatePaymentLink',
      route: ROUTES.patchPaymentLink,
      input: (m: Merchant): RemediationInput => ({ accountID: m.accountID, paymentLinks: [{ code: m.code, update: { display: { title: 'Yoga class' } } }] }),
      scopes: (id: string) => `/accounts/${id}/transfers.write`,
    },
    {
      operation: 'listFiles',
      route: ROUTES.listFiles,
      input: (m: Merchant): RemediationInput => ({ accountID: m.accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] }),
      scopes: (id: string) => `/accounts/${id}/files.read`,
    },
  ])('403 on $operation: names the scope the call needs; one call, not retried', async ({ operation, route, input, scopes }) => {
    const m = await merchant();
    await h().admin.addFault({ route, accountID: m.accountID, sequence: [{ status: 403, body: '' }] });

    const outcome = await runToFailure(input(m));
    record(`403 on ${operation}`, outcome);

    expect(outcome.failure.type).toBe('MoovAuthError');
    expect(outcome.failure.message).toBe(
      `${operation} failed: 403 Forbidden — the credentials lack permission; an access token for this call needs scope ${scopes(m.accountID)} ` +
        `(request id ${outcome.calls[0]!.requestId})`,
    );
    expect(outcome.calls.map((c) => [c.route, c.status])).toEqual([[route, 403]]);
    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.elapsedMs).toBeLessThan(2_000); // a first retry would come 1 s after the failure
    expectLastError(outcome, 'MoovAuthError', 403);
  });

  test('404 for an account Moov does not know: says the account was not found; one call', async () => {
    const m = await merchant();
    const unknown = randomUUID();
    // The worker holds documents for it (FILES_ROOT/<accountID>/), so the local checks pass and Moov is asked.
    await writeAccountFiles(h().filesRoot, unknown);

    const outcome = await runToFailure(fullInput({ ...m, accountID: unknown }));
    record('404: unknown account', outcome);

    expect(outcome.failure.type).toBe('MoovNotFound');
    expect(outcome.failure.message).toMatch(new RegExp(`^listFiles failed: 404 Not Found — account ${unknown} not found \\(request id [0-9a-f]{32}\\)$`));
    expect(outcome.calls.map((c) => [c.route, c.status])).toEqual([[ROUTES.listFiles, 404]]);
    expect(outcome.attempts).toEqual([{ activityType: 'planFileUploads', attempt: 1 }]);
    expect(outcome.elapsedMs).toBeLessThan(2_000); // a first retry would come 1 s after the failure
    expectLastError(outcome, 'MoovNotFound', 404);
  });

  test('404 with no body (Moov documents headers only): still says which account was not found at Moov', async () => {
    const m = await merchant();
    await h().admin.addFault({ route: ROUTES.createLink, accountID: m.accountID, sequence: [{ status: 404, body: '' }] });

    const outcome = await runToFailure({ accountID: m.accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } } });
    record('404 with no body', outcome);

    expect(outcome.failure.type).toBe('MoovNotFound');
    expect(outcome.failure.message).toMatch(new RegExp(`^createResolutionLink failed: 404 Not Found — Moov has no account ${m.accountID} \\(request id [0-9a-f]{32}\\)$`));
    expect(outcome.calls).toHaveLength(1);
    expectLastError(outcome, 'MoovNotFound', 404);
  });
});

describe('a long 503 outage is retried until stepRetryTimeout, then fails saying so', () => {
  test.each([
    { budget: '10 minutes', budgetMs: 10 * 60_000, expectedCalls: 66 },
    { budget: '1 hour (the default)', budgetMs: 3600_000, expectedCalls: 366 },
  ])('stepRetryTimeout $budget: $expectedCalls calls, then MoovRetriesExhausted with the last 503', async ({ budget, budgetMs, expectedCalls }) => {
    const schedule = attemptSchedule(budgetMs);
    expect(schedule).toHaveLength(expectedCalls);
    const m = await merchant();
    await h().admin.addFault({ route: ROUTES.patchPaymentLink, accountID: m.accountID, fault: { status: 503 }, probability: 1, times: 1_000 });
    const before = (await h().admin.state(m.accountID)).paymentLinks;

    const options = budget.startsWith('1 hour') ? {} : { stepRetryTimeout: budget };
    const outcome = await runToFailure({ ...fullInput(m, options), files: [] });
    record(`503 outage, stepRetryTimeout ${budget}`, outcome, { route: ROUTES.patchPaymentLink, activityType: 'updatePaymentLink' });

    // Every attempt is one PATCH that got 503; the steps before it (link, connection) completed.
    const patches = outcome.calls.filter((c) => c.route === ROUTES.patchPaymentLink);
    expect(patches.every((c) => c.status === 503)).toBe(true);
    expect(patches.length).toBeGreaterThanOrEqual(expectedCalls - 1);
    expect(patches.length).toBeLessThanOrEqual(expectedCalls);
    expect(outcome.attempts.filter((a) => a.activityType === 'updatePaymentLink').map((a) => a.attempt)).toEqual(patches.map((_, i) => i + 1));
    // The server's clock: gaps of 0.5 s, 0.75 s, 1.1 s … capped at 10 s, so it gives up within one interval of the budget.
    // Within 5 ms per retry gap of the computed schedule: on a loaded machine the test server's
    // skipped timers come out short by up to a few ms each (1.3 s over the hour's 366 seen so far);
    // stopping early would be short by a whole 10 s interval.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(schedule.at(-1)! - Math.max(1_000, schedule.length * 5));
    expect(outcome.elapsedMs).toBeLessThanOrEqual(budgetMs + 5_000);
    expect(outcome.elapsedMs).toBeGreaterThan(budgetMs - POLICY.maxIntervalMs);

    expect(outcome.failure.type).toBe('MoovRetriesExhausted');
    expect(outcome.failure.nonRetryable).toBe(true);
    const budgetText = budgetMs === 3600_000 ? '1 hour' : '10 minutes';
    expect(outcome.failure.message).toBe(
      `updatePaymentLink: gave up retrying — its retry budget of ${budgetText} (stepRetryTimeout) is spent. ` +
        `Last Moov error: updatePaymentLink failed: 503 Service Unavailable — sandbox injected fault (request id ${patches.at(-1)!.requestId})`,
    );
    expect(outcome.failure.details?.[0]).toMatchObject({
      operation: 'updatePaymentLink',
      status: 503,
      requestId: patches.at(-1)!.requestId,
      lastFailureType: 'MoovServerError',
      retryState: 'TIMEOUT',
      stepRetryTimeoutMs: budgetMs,
    });
    expectLastError(outcome, 'MoovRetriesExhausted', 503);
    // The connection came before; the link comes after the payment links, so none was sent.
    expect(outcome.status.connection?.outcome).toBe('shared');
    expect(outcome.status.paymentLinks).toEqual([expect.objectContaining({ code: m.code, state: 'failed' })]);
    expect(outcome.status.resolutionLink).toBeUndefined();
    const state = await h().admin.state(m.accountID);
    expect(state.paymentLinks).toEqual(before);
    expect(state.resolutionLinks).toEqual([]);
  });

  test('an attempt still hanging when the budget runs out: says it timed out before Moov answered', async () => {
    const m = await merchant();
    // First attempt: 503 at once. Second (1 s later): Moov hangs past the 5 s budget.
    await h().admin.addFault({ route: ROUTES.createLink, accountID: m.accountID, sequence: [{ status: 503 }, { latencyMs: 8_000, status: 503 }] });

    const outcome = await runToFailure({ accountID: m.accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } }, options: { stepRetryTimeout: '5 seconds' } });
    record('503, then a hang past stepRetryTimeout 5 s', outcome);

    expect(outcome.failure.type).toBe('MoovRetriesExhausted');
    expect(outcome.failure.message).toBe(
      'createResolutionLink: gave up retrying — its retry budget of 5 seconds (stepRetryTimeout) is spent. ' +
        'The last attempt timed out (schedule-to-close) before Moov answered.',
    );
    // Temporal reports only the timeout (neither server attaches the earlier attempt's 503), so there is no status to show.
    expect(outcome.failure.details?.[0]).toMatchObject({ operation: 'createResolutionLink', lastFailureType: 'timeout:SCHEDULE_TO_CLOSE', retryState: 'TIMEOUT', stepRetryTimeoutMs: 5_000 });
    expect(outcome.status.lastError).toMatchObject({ type: 'MoovRetriesExhausted', message: outcome.failure.message });
    expect(outcome.attempts).toEqual([
      { activityType: 'createResolutionLink', attempt: 1 },
      { activityType: 'createResolutionLink', attempt: 2 },
    ]);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(5_000);
    expect(outcome.elapsedMs).toBeLessThan(8_000);
    expect((await h().admin.state(m.accountID)).resolutionLinks).toEqual([]);
  });
});

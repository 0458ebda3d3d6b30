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

describe('a long 503 outage parks the call instead of failing it', () => {
  /** A PATCH of the payment link answered 503 every time: the remediation's calls before it completed. */
  async function outageOnPaymentLink(m: Merchant): Promise<void> {
    await h().admin.addFault({ route: ROUTES.patchPaymentLink, accountID: m.accountID, fault: { status: 503 }, probability: 1 });
  }

  test('while Moov is down: the status and the current details say since when and when the next attempt is; when it is back, the remediation completes', async () => {
    const m = await merchant();
    await outageOnPaymentLink(m);
    const handle = await startRemediationWorkflow(h(), { ...fullInput(m), files: [] });
    await h().env.sleep('2 hours');

    const parked = await handle.query(statusQuery);
    expect(parked.phase).toBe('waiting-for-moov');
    expect(parked.moovOutage).toMatchObject({ operation: 'updatePaymentLink', status: 503, parkedCalls: 1 });
    const outage = parked.moovOutage!;
    expect(Date.parse(outage.giveUpAt) - Date.parse(outage.since)).toBe(24 * 3600_000);
    expect(Date.parse(outage.nextAttemptAt)).toBeGreaterThan(Date.parse(outage.since));
    const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toBe(`**${m.accountID}** · Moov unavailable since ${outage.since} (updatePaymentLink: ${outage.lastError}); next attempt at ${outage.nextAttemptAt}`);
    const patches = (await h().admin.requests({ accountID: m.accountID })).filter((c) => c.route === ROUTES.patchPaymentLink);
    // Six attempts, then one probe per wait (1, 2, 4, then 5 minutes, each ±20 %): far from the 366 of an hour's plain retries.
    expect(patches.length).toBeGreaterThanOrEqual(6 + 21);
    expect(patches.length).toBeLessThanOrEqual(6 + 31);
    expect(outage.parks).toBe(patches.length - 6);
    // The last probe's answer (the first park quoted the sixth attempt's, "Moov unavailable: 6 attempts in a row failed; …").
    expect(outage.lastError).toBe(`updatePaymentLink failed: 503 Service Unavailable — sandbox injected fault (request id ${patches.at(-1)!.requestId})`);
    expect(outage.requestId).toBe(patches.at(-1)!.requestId);

    await h().admin.call('DELETE', '/_sandbox/faults');
    const done = await handle.result();
    expect(done.phase).toBe('completed');
    expect(done.moovOutage).toBeUndefined();
    expect(done.paymentLinks).toEqual([expect.objectContaining({ code: m.code, state: 'updated' })]);
    const state = await h().admin.state(m.accountID);
    expect(state.paymentLinks[0]?.display?.title).toBe('Yoga class');
    expect(state.resolutionLinks).toHaveLength(1);
  });

  test('Moov down for longer than maxOutageWait: fails MoovOutageTooLong, saying since when, with the last 503', async () => {
    const m = await merchant();
    await outageOnPaymentLink(m);
    const before = (await h().admin.state(m.accountID)).paymentLinks;

    const outcome = await runToFailure({ ...fullInput(m, { maxOutageWait: '30 minutes' }), files: [] });
    record('503 outage, maxOutageWait 30 minutes', outcome, { route: ROUTES.patchPaymentLink, activityType: 'updatePaymentLink' });

    const patches = outcome.calls.filter((c) => c.route === ROUTES.patchPaymentLink);
    expect(patches.every((c) => c.status === 503)).toBe(true);
    // 6 attempts, then probes after waits of 1, 2, 4, 5, 5 … minutes (±20 %) until the next would pass 30 minutes.
    expect(patches.length).toBeGreaterThanOrEqual(6 + 6);
    expect(patches.length).toBeLessThanOrEqual(6 + 9);
    // The first 6 attempts take about 7 s; the wait that would have passed the budget is at most 6 minutes.
    expect(outcome.elapsedMs).toBeLessThanOrEqual(30 * 60_000 + 10_000);
    expect(outcome.elapsedMs).toBeGreaterThan(24 * 60_000);

    expect(outcome.failure.type).toBe('MoovOutageTooLong');
    expect(outcome.failure.nonRetryable).toBe(true);
    const since = outcome.status.moovOutage!.since;
    expect(outcome.failure.message).toBe(
      `updatePaymentLink: gave up — Moov has been unavailable since ${since}, longer than maxOutageWait (30 minutes). ` +
        'Start the remediation again when Moov is back; a sweep does so by itself. ' +
        `Last Moov error: updatePaymentLink failed: 503 Service Unavailable — sandbox injected fault (request id ${patches.at(-1)!.requestId})`,
    );
    expect(outcome.failure.details?.[0]).toMatchObject({ operation: 'updatePaymentLink', status: 503, requestId: patches.at(-1)!.requestId, since, maxOutageWaitMs: 1_800_000 });
    expectLastError(outcome, 'MoovOutageTooLong', 503);
    expect(outcome.status.connection?.outcome).toBe('shared');
    expect(outcome.status.paymentLinks).toEqual([expect.objectContaining({ code: m.code, state: 'failed' })]);
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

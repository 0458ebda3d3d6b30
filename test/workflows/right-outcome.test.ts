import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT } from '../../src/domain/search-attributes';
import { addWorkUpdate, markResolvedUpdate, statusQuery } from '../../src/workflows/definitions';
import { HOUR, MERCHANT_EMAIL, elapsedMs, seedMerchant, startRemediationWorkflow, useWorkflowHarness, waitForPhase, waitForStatus } from './support/helpers';

/**
 * The remediation's verdict tells the truth: "resolved" only when Moov no longer waits for the
 * requirements that selected the account, and an operator's accepted decision is acted
 * on before any further write to Moov.
 */
const h = useWorkflowHarness();
const CAPABILITIES = 'GET /accounts/:accountID/capabilities';

/** A merchant Moov only waits on (no errors): a document currently due. */
async function seedMerchantWithDueItemsOnly(): Promise<string> {
  const { accountID } = await h().admin.seedAccount({
    displayName: 'Due Only Pilates',
    accountType: 'business',
    email: MERCHANT_EMAIL,
    capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { currentlyDue: ['document.business.verification'], errors: [] } }],
  });
  return accountID;
}

function followThroughInput(accountID: string, options: Record<string, unknown> = {}) {
  return { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } }, options: { followThrough: true, ...options } };
}

describe('"resolved" means Moov waits for nothing that selected the account', () => {
  test('items currently due, no errors: not resolved at the first check, resolved once they clear', async () => {
    const accountID = await seedMerchantWithDueItemsOnly();
    const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));

    const watching = await waitForStatus(handle, 'the first follow-through check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.lastCheckedAt);
    expect(watching.followThrough?.currentlyDue).toEqual(['collect-funds: document.business.verification']);
    expect(watching.followThrough?.outcome).toBeUndefined();

    await h().admin.patchCapability(accountID, 'collect-funds', { status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
    const result = await handle.result();

    expect(result.phase).toBe('resolved');
    expect(result.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'moov' });
    expect(elapsedMs(result)).toBeGreaterThanOrEqual(24 * HOUR); // seen at the next (24 h) check, not the first
  });

  test('a remediation selected for errors only is resolved when the errors clear, due items or not', async () => {
    const accountID = await seedMerchant(h());
    const handle = await startRemediationWorkflow(h(), followThroughInput(accountID, { select: { requirementErrors: true, currentlyDue: false } }));
    await waitForStatus(handle, 'the first follow-through check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.lastCheckedAt);

    await h().admin.patchCapability(accountID, 'collect-funds', { requirements: { currentlyDue: ['business.ein'], errors: [] } });
    const result = await handle.result();

    expect(result.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'moov' });
    expect(result.followThrough?.currentlyDue).toEqual(['collect-funds: business.ein']);
  });
});

describe('markResolved accepted during a check', () => {
  test('is acted on before the check sends a fresh link', async () => {
    const accountID = await seedMerchant(h());
    // The first follow-through check reads Moov slowly: the operator's update lands during it.
    await h().admin.addFault({ route: CAPABILITIES, accountID, sequence: [{ latencyMs: 3_000 }] });
    const handle = await startRemediationWorkflow(h(), followThroughInput(accountID));
    const checking = await waitForPhase(handle, 'awaiting-merchant');
    // Meanwhile the merchant's link ends, so the check would send a fresh one.
    await h().admin.patchResolutionLink(accountID, checking.resolutionLink!.code, { status: 'disabled' });

    const answer = await handle.executeUpdate(markResolvedUpdate, { args: [{ note: 'verified by phone' }] });

    expect(answer.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'operator', note: 'verified by phone' });
    expect(answer.followThrough?.freshLinksSent).toBe(0);
    const state = await h().admin.state(accountID);
    expect(state.resolutionLinks).toHaveLength(1);
    const creates = await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/resolution-links' });
    expect(creates).toHaveLength(1);
  });

  test('is acted on before the check ends unresolved', async () => {
    const accountID = await seedMerchant(h());
    await h().admin.addFault({ route: CAPABILITIES, accountID, sequence: [{ latencyMs: 3_000 }] });
    // No fresh links: a dead link with errors left ends the remediation unresolved at this check.
    const handle = await startRemediationWorkflow(h(), followThroughInput(accountID, { maxFreshLinks: 0 }));
    const checking = await waitForPhase(handle, 'awaiting-merchant');
    await h().admin.patchResolutionLink(accountID, checking.resolutionLink!.code, { status: 'disabled' });

    const answer = await handle.executeUpdate(markResolvedUpdate, { args: [{}] });

    expect(answer.phase).toBe('resolved');
    expect(answer.followThrough?.outcome).toMatchObject({ result: 'resolved', by: 'operator' });
  });
});

describe('follow-through history stays bounded', () => {
  /** Every run of the remediation's continue-as-new chain: its history length, its RemediationPhase when it closed and when that was set. */
  async function runsOf(workflowId: string, firstRunId: string): Promise<{ events: number; phase?: string; phaseChangedAt?: string }[]> {
    const runs: { events: number; phase?: string; phaseChangedAt?: string }[] = [];
    for (let runId: string | undefined = firstRunId; runId; ) {
      const handle: WorkflowHandle = h().env.client.workflow.getHandle(workflowId, runId);
      const history: History = await handle.fetchHistory();
      const attributes = (await handle.describe()).typedSearchAttributes;
      runs.push({ events: history.events?.length ?? 0, phase: attributes.get(REMEDIATION_PHASE), phaseChangedAt: attributes.get(REMEDIATION_PHASE_CHANGED_AT)?.toISOString() });
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    return runs;
  }

  test('a long follow-through continues as new, carrying its state; no run passes 10,000 events; Moov is read at most once a minute', async () => {
    const accountID = await seedMerchant(h());
    const handle = await startRemediationWorkflow(
      h(),
      // Asks for a check every second for 6 hours: 21,600 checks uncapped.
      followThroughInput(accountID, { followThroughPollInterval: '1 second', maxFollowThrough: '6 hours' }),
    );

    const result = await handle.result();

    expect(result.phase).toBe('unresolved');
    expect(result.followThrough?.outcome?.reasons[0]).toMatch(/follow-through limit/);
    expect(result.resolutionLink?.outcome).toBe('created');
    expect(result.startedAt).toBe((await h().env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).startTime.toISOString());
    const runs = await runsOf(handle.workflowId, handle.firstExecutionRunId);
    const lengths = runs.map((r) => r.events);
    console.log(`6 h of follow-through, checks capped at one a minute: ${lengths.length} runs of ${lengths.join(', ')} events`);
    expect(lengths.length).toBeGreaterThan(1);
    for (const length of lengths) expect(length).toBeLessThan(10_000);
    // Continuing as new is no outcome: every run but the last closed still awaiting the merchant.
    expect(runs.map((r) => r.phase)).toEqual([...runs.slice(1).map(() => 'awaiting-merchant'), 'unresolved']);
    // Nor a phase change: each continued run carries the time the first entered awaiting-merchant
    // (the server copies the search attributes), and only the outcome sets a new one.
    const enteredFollowThrough = runs[0]!.phaseChangedAt;
    expect(enteredFollowThrough).toBeDefined();
    expect(runs.slice(0, -1).map((r) => r.phaseChangedAt)).toEqual(runs.slice(0, -1).map(() => enteredFollowThrough));
    expect(Date.parse(runs.at(-1)!.phaseChangedAt!)).toBeGreaterThan(Date.parse(enteredFollowThrough!));
    const checks = await h().admin.requests({ accountID, route: CAPABILITIES });
    expect(checks.length).toBeLessThanOrEqual(6 * 60 + 2);
    expect(checks.length).toBeGreaterThanOrEqual(6 * 60 - 2);
    // One link for the whole follow-through, across the runs.
    expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
  }, 180_000);

  test('added work is carried over continue-as-new: the next run knows it and still has it in its status', async () => {
    const accountID = await seedMerchant(h());
    const handle = await startRemediationWorkflow(h(), followThroughInput(accountID, { followThroughPollInterval: '1 minute', maxFollowThrough: '1 day' }));
    await waitForPhase(handle, 'awaiting-merchant');
    const bill = { path: 'utility-bill.png', filePurpose: 'business_verification' as const };
    expect((await handle.executeUpdate(addWorkUpdate, { args: [{ work: { files: [bill] } }] })).items[0]!.outcome).toBe('accepted');
    await waitForStatus(handle, 'the added file uploaded', (s) => s.files[0]?.state === 'uploaded');

    // A check a minute: the first run continues as new after some 2 hours.
    await h().env.sleep(3 * HOUR);
    const latest = h().env.client.workflow.getHandle(handle.workflowId);
    const { runId } = await latest.describe();
    expect(runId).not.toBe(handle.firstExecutionRunId);
    expect((await latest.query(statusQuery)).files.map((f) => [f.path, f.state])).toEqual([[bill.path, 'uploaded']]);
    expect((await latest.executeUpdate(addWorkUpdate, { args: [{ work: { files: [bill] } }] })).items[0]!.outcome).toBe('already-present');
    expect((await h().admin.state(accountID)).files).toHaveLength(1);
    await latest.cancel();
  }, 120_000);
});

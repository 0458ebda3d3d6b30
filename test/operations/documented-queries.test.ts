import type { WorkflowHandle } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getRemediationStatus, startRemediation } from '../../src/client';
import { REMEDIATION_PHASE_CHANGED_AT } from '../../src/domain/search-attributes';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { merchantRemediation } from '../../src/workflows';
import { HANDLER_DESCRIPTIONS, replaceActiveLinkUpdate, statusQuery } from '../../src/workflows/definitions';
import { eventually } from '../support/eventually';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';

/**
 * docs/operations.md tells operators how to find remediations in the Temporal UI. Each list
 * query it documents is read from the document itself and run against the real dev server.
 */
const OPERATIONS_DOC = readFileSync(path.join(__dirname, '../../docs/operations.md'), 'utf8');

function documentedQuery(pattern: RegExp): string {
  const match = OPERATIONS_DOC.match(pattern);
  if (!match) throw new Error(`docs/operations.md no longer documents ${pattern}`);
  return match[0];
}

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev');
});
afterAll(async () => {
  await h?.close();
});

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of h.env.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

/** Visibility is eventually consistent: poll until the expected set appears (or time out). */
async function eventuallyListed(query: string, expected: string[], absent: string[] = []): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = await listIds(query);
    if (expected.every((id) => ids.includes(id)) && absent.every((id) => !ids.includes(id))) return ids;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return ids;
}

async function waitingRemediation(): Promise<{ accountID: string; handle: WorkflowHandle<typeof merchantRemediation> }> {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Waiting Co', email: 'waiting@merchant.test' });
  const now = Date.parse((await h.admin.clock()).now);
  await h.admin.seedResolutionLink(accountID, { recipient: 'other@partner.test', expiresOn: new Date(now + 20 * 86_400_000).toISOString() });
  const handle = await h.env.client.workflow.start(merchantRemediation, {
    taskQueue: h.taskQueue,
    workflowId: remediationWorkflowId(accountID),
    args: [{ accountID, resolutionLink: { recipient: { email: 'waiting@merchant.test' } }, options: { followThrough: false } }],
  });
  return { accountID, handle };
}

test('the documented queries find remediations by account and by phase', async () => {
  const waiting = await waitingRemediation();
  const other = await waitingRemediation();

  const byAccount = documentedQuery(/MoovAccountID="[^"]+"/).replace(/"[^"]+"/, `"${waiting.accountID}"`);
  expect(await eventuallyListed(byAccount, [waiting.handle.workflowId], [other.handle.workflowId])).toEqual([waiting.handle.workflowId]);

  const byPhase = documentedQuery(/RemediationPhase="waiting-for-active-link"/);
  const waitingIds = await eventuallyListed(byPhase, [waiting.handle.workflowId, other.handle.workflowId]);
  expect(waitingIds).toEqual(expect.arrayContaining([waiting.handle.workflowId, other.handle.workflowId]));

  // After the documented replace step, the workflow leaves that phase and the query drops it.
  await waiting.handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'operator' }] });
  await waiting.handle.result();
  const afterReplace = await eventuallyListed(byPhase, [other.handle.workflowId], [waiting.handle.workflowId]);
  expect(afterReplace).not.toContain(waiting.handle.workflowId);

  const completed = documentedQuery(/RemediationPhase="completed"/);
  expect(await eventuallyListed(completed, [waiting.handle.workflowId])).toContain(waiting.handle.workflowId);
  await other.handle.cancel();
});

test('the documented query for a phase held since before a date compares RemediationPhaseChangedAt as a time', async () => {
  const waiting = await waitingRemediation();
  const byPhase = documentedQuery(/RemediationPhase="waiting-for-active-link"/);
  await eventuallyListed(byPhase, [waiting.handle.workflowId]);
  const changedAt = (await waiting.handle.describe()).typedSearchAttributes.get(REMEDIATION_PHASE_CHANGED_AT);
  expect(changedAt).toBeInstanceOf(Date);

  const heldSince = (date: Date) => documentedQuery(/RemediationPhase="waiting-for-active-link" AND RemediationPhaseChangedAt < "[^"]+"/).replace(/< "[^"]+"/, `< "${date.toISOString()}"`);
  // Waiting since before a moment after it entered the wait: found; since before that moment itself: not.
  expect(await eventuallyListed(heldSince(new Date(changedAt!.getTime() + 1_000)), [waiting.handle.workflowId])).toContain(waiting.handle.workflowId);
  expect(await listIds(heldSince(changedAt!))).not.toContain(waiting.handle.workflowId);
  await waiting.handle.cancel();
});

test('each remediation carries a readable summary and current details for the Temporal UI', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Summary Co', email: 'summary@merchant.test' });
  const now = Date.parse((await h.admin.clock()).now);
  const foreign = await h.admin.seedResolutionLink(accountID, { recipient: 'other@partner.test', expiresOn: new Date(now + 86_400_000).toISOString() });
  const { handle } = await startRemediation(
    h.env.client,
    { accountID, resolutionLink: { recipient: { email: 'summary@merchant.test' } }, options: { followThrough: false } },
    { taskQueue: h.taskQueue },
  );
  await until(async () => (await getRemediationStatus(h.env.client, accountID).catch(() => undefined))?.phase === 'waiting-for-active-link');

  expect(await (await handle.describe()).staticSummary()).toBe(`Moov remediation for account ${accountID}`);
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain(accountID);
  expect(metadata.currentDetails).toContain(`Waiting for active link ${foreign.code}`);
  expect(metadata.currentDetails).toContain('replaceActiveLink');
  await handle.cancel();
});

async function until(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A history event's user-metadata summary, as the Web UI shows it beside the call. */
function summaryOf(event: { userMetadata?: { summary?: { data?: Uint8Array | null } | null } | null }): string | undefined {
  const data = event.userMetadata?.summary?.data;
  return data ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined;
}

test('operators see what each activity call is for, and what each handler does', async () => {
  const waiting = await waitingRemediation();
  // The handlers' descriptions, as `temporal workflow metadata` and the Web UI read them.
  const metadata = (await waiting.handle.query('__temporal_workflow_metadata')) as {
    definition: { queryDefinitions: { name: string; description?: string }[]; updateDefinitions: { name: string; description?: string }[]; signalDefinitions: { name: string; description?: string }[] };
  };
  const described = [...metadata.definition.queryDefinitions, ...metadata.definition.updateDefinitions, ...metadata.definition.signalDefinitions];
  for (const [name, description] of Object.entries(HANDLER_DESCRIPTIONS)) expect(described).toContainEqual({ name, description });

  // The replace update is accepted only once the run waits for the other party's link.
  await eventually('the remediation waiting for the active link', async () =>
    (await waiting.handle.query(statusQuery)).phase === 'waiting-for-active-link' ? true : undefined,
  );
  await waiting.handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'operator' }] });
  await waiting.handle.result();
  const scheduled = ((await waiting.handle.fetchHistory()).events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
  const summaries = scheduled.map((e) => [e.activityTaskScheduledEventAttributes!.activityType!.name, summaryOf(e)]);
  expect(summaries).toEqual(expect.arrayContaining([["createResolutionLink", "create the merchant's resolution link"]]));
  expect(summaries.find(([type]) => type === 'disableResolutionLink')?.[1]).toMatch(/^disable resolution link \S+ \(operator's replace\)$/);
  // Every call has one, and none names the recipient.
  for (const [, summary] of summaries) expect(summary).toMatch(/\S/);
  expect(JSON.stringify(summaries)).not.toContain('waiting@merchant.test');
});

import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { MoovChangedNotice } from '../../../src/workflows/definitions';
import { eventually } from '../../support/eventually';
import type { WorkflowHarness } from '../../support/workflow-harness';
import { seedMerchant, startRemediationWorkflow, waitForPhase } from '../../workflows/support/helpers';

/** The moovChanged signals in a workflow's history, as Temporal recorded them (the id's latest run). */
export async function moovChangedSignals(client: Client, workflowId: string): Promise<MoovChangedNotice[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionSignaledEventAttributes)
    .filter((signaled) => signaled?.signalName === 'moovChanged')
    .map((signaled) => defaultPayloadConverter.fromPayload<MoovChangedNotice>(signaled!.input!.payloads![0]!));
}

/**
 * A merchant whose remediation keeps running: another party's link is active for 30 days, so the
 * workflow waits for it (waiting-for-active-link) until the test ends.
 */
export async function runningRemediation(h: WorkflowHarness): Promise<string> {
  const accountID = await seedMerchant(h);
  const now = Date.parse((await h.admin.clock()).now);
  await h.admin.seedResolutionLink(accountID, {
    recipient: 'someone-else@partner.test',
    createdOn: new Date(now - 3600_000).toISOString(),
    expiresOn: new Date(now + 30 * 24 * 3600_000).toISOString(),
  });
  const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } } });
  await waitForPhase(handle, 'waiting-for-active-link');
  return accountID;
}

/**
 * The signals once at least `count` are in history. The Temporal server keeps a signal it accepted
 * while a workflow task was in flight as a buffered event (durably, in the run's state) and writes
 * it to history when that task completes, so an acknowledged signal may show a moment later: wait
 * for the count, then the caller compares exactly.
 */
export async function moovChangedSignalsOnce(client: Client, workflowId: string, count: number): Promise<MoovChangedNotice[]> {
  return eventually(`${count} moovChanged signals in ${workflowId}`, async () => {
    const signals = await moovChangedSignals(client, workflowId);
    return signals.length >= count ? signals : undefined;
  });
}

import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { MoovChangedNotice } from '../../../src/workflows/definitions';
import type { WorkflowHarness } from '../../support/workflow-harness';
import { seedMerchant, startRemediationWorkflow, waitForPhase } from '../../workflows/support/helpers';

/** The moovChanged signals in a workflow's history, as Temporal recorded them (every run of the id's latest chain). */
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

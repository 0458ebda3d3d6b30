// A stand-in registered under the remediation's workflow type, for the list test's check of
// continued-as-new runs: its first run continues as new at once (a real remediation does so only
// deep in follow-through, past 2,500 events), and the second one waits until it is terminated.
import { condition, continueAsNew } from '@temporalio/workflow';

export async function merchantRemediation(run = 1): Promise<void> {
  if (run === 1) await continueAsNew<typeof merchantRemediation>(2);
  await condition(() => false);
}

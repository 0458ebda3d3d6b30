// A deliberately incompatible version of merchantRemediation, for the replay test's own check:
// the same steps as src/workflows/merchant-remediation.ts, but the connection is shared *before*
// the resolution link is created. Deployed as-is, it would break every running remediation that
// is past its uploads; replaying the recorded happy path must therefore fail.
import { listedFiles, parseRemediationInput, type RemediationInput } from '../../../src/domain/remediation-input';
import { remediationActivities } from '../../../src/workflows/activity-proxies';
import { uploadRequiredFiles } from '../../../src/workflows/file-upload-step';
import { resolveOptions } from '../../../src/workflows/options';
import { MoovNews } from '../../../src/workflows/moov-news';
import { OperatorRequests } from '../../../src/workflows/operator-requests';
import { ensureResolutionLink } from '../../../src/workflows/resolution-link-step';
import { StatusTracker } from '../../../src/workflows/status-tracker';
import type { StepContext } from '../../../src/workflows/step-context';
import { WorkInbox } from '../../../src/workflows/work-inbox';
import { workflowInfo } from '@temporalio/workflow';

export async function merchantRemediation(rawInput: RemediationInput): Promise<unknown> {
  const parsed = parseRemediationInput(rawInput);
  if (!parsed.ok) throw new Error(parsed.message);
  const input = parsed.input;
  const options = resolveOptions(input.options);
  const activities = remediationActivities(options.stepRetryTimeoutMs);
  const tracker = new StatusTracker(input.accountID);
  const ctx: StepContext = {
    activities,
    accountID: input.accountID,
    options,
    tracker,
    operator: new OperatorRequests(),
    inbox: new WorkInbox(input),
    news: new MoovNews(),
    doAddedWork: async () => undefined,
    startedAtMs: workflowInfo().startTime.getTime(),
  };
  if (listedFiles(input.files).length) await uploadRequiredFiles(ctx, listedFiles(input.files));
  if (input.connection) {
    tracker.setPhase('sharing-connection');
    await activities.shareConnection({ accountID: input.accountID, connection: input.connection });
  }
  if (input.resolutionLink) await ensureResolutionLink(ctx, input.resolutionLink.recipient);
  return tracker.finish('completed');
}

// A deliberately incompatible version of merchantRemediation, for the replay test's own check:
// the same steps as src/workflows/merchant-remediation.ts, but the connection is shared *before*
// the resolution link is created. Deployed as-is, it would break every running remediation that
// is past its uploads; replaying the recorded happy path must therefore fail.
import { parseRemediationInput, type RemediationInput } from '../../../src/domain/remediation-input';
import { remediationActivities } from '../../../src/workflows/activity-proxies';
import { uploadRequiredFiles } from '../../../src/workflows/file-upload-step';
import { resolveOptions } from '../../../src/workflows/options';
import { ensureResolutionLink } from '../../../src/workflows/resolution-link-step';
import { StatusTracker } from '../../../src/workflows/status-tracker';
import { workflowInfo } from '@temporalio/workflow';

export async function merchantRemediation(rawInput: RemediationInput): Promise<unknown> {
  const parsed = parseRemediationInput(rawInput);
  if (!parsed.ok) throw new Error(parsed.message);
  const input = parsed.input;
  const options = resolveOptions(input.options);
  const activities = remediationActivities(options.stepRetryTimeoutMs);
  const tracker = new StatusTracker(input.accountID);
  if (input.files?.length) await uploadRequiredFiles(activities, input.accountID, input.files, options.uploadConcurrency, tracker);
  if (input.connection) {
    tracker.setPhase('sharing-connection');
    await activities.shareConnection({ accountID: input.accountID, connection: input.connection });
  }
  if (input.resolutionLink) {
    await ensureResolutionLink({
      activities,
      accountID: input.accountID,
      recipient: input.resolutionLink.recipient,
      options,
      tracker,
      startedAtMs: workflowInfo().startTime.getTime(),
      pendingReplace: () => undefined,
    });
  }
  return tracker.finish('completed');
}

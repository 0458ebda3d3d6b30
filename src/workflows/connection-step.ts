import type { RemediationActivities } from '../domain/remediation-activities';
import { connectionProgress, connectionWarning } from '../domain/connection-outcome';
import type { ShareConnectionInput } from '../domain/remediation-input';
import type { StatusTracker } from './status-tracker';

/** Shares the merchant's account with the principal account that needs access. */
export async function shareConnectionStep(
  activities: RemediationActivities,
  accountID: string,
  connection: ShareConnectionInput,
  tracker: StatusTracker,
): Promise<void> {
  tracker.setPhase('sharing-connection');
  const shared = await activities.shareConnection({ accountID, connection });
  tracker.status.connection = connectionProgress(connection, shared);
  const warning = connectionWarning(tracker.status.connection);
  if (warning) (tracker.status.warnings ??= []).push(warning);
}

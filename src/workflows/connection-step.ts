import type { RemediationActivities } from '../activities';
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
  tracker.status.connection = {
    principalAccountID: connection.principalAccountID,
    outcome: shared.outcome,
    ...(shared.requestId !== undefined && { requestId: shared.requestId }),
  };
}

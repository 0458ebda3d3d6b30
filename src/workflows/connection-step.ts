import { connectionProgress, connectionWarning } from '../domain/connection-outcome';
import type { ShareConnectionInput } from '../domain/remediation-input';
import type { StepContext } from './step-context';

/** Shares the merchant's account with the principal account that needs access. */
export async function shareConnectionStep({ activities, accountID, tracker }: StepContext, connection: ShareConnectionInput): Promise<void> {
  tracker.setPhase('sharing-connection');
  const shared = await activities.shareConnection({ accountID, connection });
  const progress = connectionProgress(connection, shared);
  tracker.connectionShared(progress, connectionWarning(progress));
}

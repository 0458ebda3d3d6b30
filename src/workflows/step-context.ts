import type { RemediationActivities } from '../domain/remediation-activities';
import type { OperatorRequests } from './operator-requests';
import type { ResolvedOptions } from './options';
import type { StatusTracker } from './status-tracker';

/** What every step of a remediation is called with, besides its own part of the input. */
export interface StepContext {
  activities: RemediationActivities;
  accountID: string;
  options: ResolvedOptions;
  /** The remediation's status: steps record what happened through its methods. */
  tracker: StatusTracker;
  operator: OperatorRequests;
  /** When this run started (workflow clock): a link created since then is ours. */
  startedAtMs: number;
}

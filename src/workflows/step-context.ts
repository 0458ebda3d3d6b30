import type { RemediationActivities } from '../domain/remediation-activities';
import type { MoovNews } from './moov-news';
import type { OperatorRequests } from './operator-requests';
import type { ResolvedOptions } from './options';
import type { StatusTracker } from './status-tracker';
import type { WorkInbox } from './work-inbox';

/** What every step of a remediation is called with, besides its own part of the input. */
export interface StepContext {
  activities: RemediationActivities;
  accountID: string;
  options: ResolvedOptions;
  /** The remediation's status: steps record what happened through its methods. */
  tracker: StatusTracker;
  operator: OperatorRequests;
  /** Work added to the running remediation (the addWork update), not yet done. */
  inbox: WorkInbox;
  /** Moov's webhooks: unread news wakes the waits to re-read Moov. */
  news: MoovNews;
  /** Does the pending added work (./added-work-step.ts, passed in so the steps need not import it back). */
  doAddedWork: () => Promise<void>;
  /** When this run started (workflow clock): a link created since then is ours. */
  startedAtMs: number;
}

import type { RemediationWork } from './remediation-input';

/**
 * The answer a running remediation gives, item by item, when the onboarding backend adds work to
 * it (the addWork update, sent with Temporal's update-with-start by `startRemediation`): nothing
 * is ever dropped without a word. Workflow-safe.
 */
export type WorkItemKind = 'file' | 'resolutionLink' | 'connection' | 'paymentLink';

/**
 * `accepted`: the remediation will do it (it goes back to work if it was waiting);
 * `already-present`: the same item is done or queued already (files: the same path and purpose);
 * `refused`: it cannot be part of this remediation, `reason` says why.
 */
export type WorkItemOutcome = 'accepted' | 'already-present' | 'refused';

export interface WorkItemAnswer {
  kind: WorkItemKind;
  /** Which item: `<filePurpose>:<path>`, the principal account ID, the payment link code, or `email`/`phone` (never the contact itself). */
  key: string;
  outcome: WorkItemOutcome;
  reason?: string;
}

export interface AddWorkRequest {
  work: RemediationWork;
}

export interface AddWorkResult {
  items: WorkItemAnswer[];
}

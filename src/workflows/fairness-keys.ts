import type { RemediationActivities } from '../domain/remediation-activities';

/**
 * The fairness key of partner-level calls, which address no merchant (listing the connected
 * accounts: `GET /accounts`). Moov counts those against the partner's own account; the workflow
 * does not know the partner's ID (MOOV_PARTNER_ACCOUNT_ID is a worker setting, outside the bundle),
 * so one constant stands for it.
 */
export const PARTNER_FAIRNESS_KEY = 'partner';

type KeyOf<K extends keyof RemediationActivities> = (input: Parameters<RemediationActivities[K]>[0]) => string;

/**
 * Each activity's fairness key: the Moov account ID its request addresses. Moov limits requests per
 * account ID (docs.moov.io/api/rate-limits), and the task queue's per-fairness-key rate limit
 * (`fairnessKeysRateLimitDefault`, applied by the worker at start: src/config/task-queue-config.ts)
 * then paces each account on its own across all workers, so a heavy merchant spends only its own
 * budget (docs.temporal.io/develop/task-queue-priority-fairness). One row per activity: a new
 * activity without a key is a compile error. `lastRemediation` reads Temporal, not Moov, but is
 * kept under its account's key: under one shared key a sweep of thousands would queue behind one
 * account's rate.
 */
export const FAIRNESS_KEYS: { [K in keyof RemediationActivities]: KeyOf<K> } = {
  planFileUploads: ({ accountID }) => accountID,
  planAutoFiles: ({ accountID }) => accountID,
  uploadFile: ({ accountID }) => accountID,
  createResolutionLink: ({ accountID }) => accountID,
  getResolutionLink: ({ accountID }) => accountID,
  disableResolutionLink: ({ accountID }) => accountID,
  shareConnection: ({ accountID }) => accountID,
  updatePaymentLink: ({ accountID }) => accountID,
  readRequirements: ({ accountID }) => accountID,
  checkFileReviews: ({ accountID }) => accountID,
  listConnectedAccounts: () => PARTNER_FAIRNESS_KEY,
  readAccount: ({ accountID }) => accountID,
  lastRemediation: ({ accountID }) => accountID,
};

export function fairnessKeyOf(name: keyof RemediationActivities, input: unknown): string {
  return (FAIRNESS_KEYS[name] as (input: unknown) => string)(input);
}

import type { RemediationActivities } from '../domain/remediation-activities';

type SummaryOf<K extends keyof RemediationActivities> = (input: Parameters<RemediationActivities[K]>[0]) => string;

/**
 * What each activity call is for, as the Temporal Web UI shows it beside the call (the activity's
 * `summary`, user metadata: docs.temporal.io/develop/typescript/observability#user-metadata). One
 * line each; never a recipient's email or phone.
 */
export const ACTIVITY_SUMMARIES: { [K in keyof RemediationActivities]: SummaryOf<K> } = {
  planFileUploads: ({ files }) => `check ${files.length} file(s) here and against the account's files at Moov`,
  planAutoFiles: () => "choose the catalog's documents for the account's open requirements",
  uploadFile: ({ file }) => `upload ${file.path} (${file.filePurpose})`,
  createResolutionLink: () => "create the merchant's resolution link",
  getResolutionLink: ({ code }) => `check resolution link ${code}`,
  disableResolutionLink: ({ code }) => `disable resolution link ${code} (operator's replace)`,
  shareConnection: ({ connection }) => `share the account with ${connection.principalAccountID}`,
  updatePaymentLink: ({ code }) => `update payment link ${code}`,
  readRequirements: () => "read the account's open requirements",
  checkFileReviews: ({ fileIDs }) => `read Moov's review of ${fileIDs.length} file(s)`,
  listConnectedAccounts: ({ skip, count }) => `list connected accounts ${skip + 1}–${skip + count}`,
  readAccount: () => "read the account's profile (the merchant's contact)",
  lastRemediation: ({ accountID }) => `look up the last remediation of ${accountID}`,
};

export function activitySummary(name: keyof RemediationActivities, input: unknown): string {
  return (ACTIVITY_SUMMARIES[name] as (input: unknown) => string)(input);
}

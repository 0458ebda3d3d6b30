import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Operators find remediations in the Temporal UI by these (registered on the namespace). */
export const MOOV_ACCOUNT_ID = defineSearchAttributeKey('MoovAccountID', SearchAttributeType.KEYWORD);
export const REMEDIATION_PHASE = defineSearchAttributeKey('RemediationPhase', SearchAttributeType.KEYWORD);
/**
 * When RemediationPhase last changed (the workflow's own clock, set in the same upsert).
 * Visibility keeps no time of a search attribute's update, only a run's start and close
 * (docs.temporal.io/search-attribute, "Default Search Attributes"), so the workflow records it.
 * Runs recorded before the `phase-changed-at` patch have none.
 */
export const REMEDIATION_PHASE_CHANGED_AT = defineSearchAttributeKey('RemediationPhaseChangedAt', SearchAttributeType.DATETIME);

/**
 * Every search attribute the project's workflows set: what each namespace must have registered
 * (the dev server at start, deploy/temporal/setup-namespace.sh, the worker's start-up check).
 * A workflow that upserts one the namespace lacks fails its workflow task.
 */
export const SEARCH_ATTRIBUTES = [MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT] as const;

/**
 * The type names the Temporal CLI takes (`temporal operator search-attribute create --type …`,
 * `temporal server start-dev --search-attribute NAME=TYPE`; docs.temporal.io/cli/operator).
 */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** The Temporal CLI command that registers `key` on `namespace`. */
export function registerSearchAttributeCommand(key: (typeof SEARCH_ATTRIBUTES)[number], namespace?: string): string {
  const ns = namespace === undefined ? '' : ` --namespace ${namespace}`;
  return `temporal operator search-attribute create${ns} --name ${key.name} --type ${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}`;
}

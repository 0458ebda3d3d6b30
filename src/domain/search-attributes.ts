import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Operators find remediations in the Temporal UI by these (registered on the namespace). */
export const MOOV_ACCOUNT_ID = defineSearchAttributeKey('MoovAccountID', SearchAttributeType.KEYWORD);
export const REMEDIATION_PHASE = defineSearchAttributeKey('RemediationPhase', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [MOOV_ACCOUNT_ID, REMEDIATION_PHASE] as const;

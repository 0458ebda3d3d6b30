import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RemediationStatus } from '../domain/remediation-status';

/** Operator handles on a running remediation; the client and the Temporal UI use these names. */
export const statusQuery = defineQuery<RemediationStatus>('status');

export interface ReplaceActiveLinkResult {
  disabledLinkCode: string;
}

/**
 * Ends the wait for another party's active link: disable it, then create ours. An update so
 * callers learn at once whether it was accepted (only while waiting) and which link goes.
 */
export const replaceActiveLinkUpdate = defineUpdate<ReplaceActiveLinkResult, [reason?: string]>('replaceActiveLink');

/** The same request as a signal, for tools that can only signal (older Temporal UIs, tctl). */
export const replaceActiveLinkSignal = defineSignal<[reason?: string]>('replaceActiveLink');

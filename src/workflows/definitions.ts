import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AddWorkRequest, AddWorkResult } from '../domain/added-work';
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
export interface ReplaceActiveLinkRequest {
  /** Why, for the audit trail in history (e.g. who asked). */
  reason?: string;
}

export const replaceActiveLinkUpdate = defineUpdate<ReplaceActiveLinkResult, [ReplaceActiveLinkRequest]>('replaceActiveLink');

/** The same request as a signal, for tools that can only signal (older Temporal UIs, tctl). */
export const replaceActiveLinkSignal = defineSignal<[ReplaceActiveLinkRequest]>('replaceActiveLinkSignal');

export interface MarkResolvedRequest {
  /** Why the operator considers it resolved, kept in the outcome. */
  note?: string;
}

/** Ends follow-through early: the operator knows the requirements are handled. */
export const markResolvedUpdate = defineUpdate<RemediationStatus, [MarkResolvedRequest]>('markResolved');

/**
 * Adds work to the running remediation: files the merchant sent since, a link, a connection,
 * payment-link updates. Answers per item at once (accepted, already present, refused and why);
 * accepted work is done while the remediation waits. `startRemediation` sends it with
 * update-with-start (docs.temporal.io/develop/typescript/message-passing#update-with-start).
 */
export const addWorkUpdate = defineUpdate<AddWorkResult, [AddWorkRequest]>('addWork');

/**
 * Moov said something changed on the account (a webhook: account, capability or representative
 * event). The body Moov sends is not signed, so the notice is only a hint: the workflow re-reads
 * Moov at once (follow-through checks the requirements and files; a wait for another party's
 * link re-checks the link). The same eventID twice has the effect of one.
 */
export interface MoovChangedNotice {
  /** Moov's eventID: deliveries are at least once, so the workflow keeps the recent ones and skips repeats. */
  eventID: string;
  /** Moov's event type, e.g. `capability.updated`. */
  type: string;
  /** When Moov says the event happened (ISO 8601), for the audit trail. */
  createdOn?: string;
}

export const moovChangedSignal = defineSignal<[MoovChangedNotice]>('moovChanged');

/**
 * What each handler does, as the Temporal Web UI and `temporal workflow metadata` show it
 * (docs.temporal.io/develop/typescript/message-passing): one line per handler name.
 */
export const HANDLER_DESCRIPTIONS = {
  status: "The remediation's live status: phase, files, link, connection, payment links, follow-through, last error",
  replaceActiveLink: "Disable another party's active resolution link and send ours now (only while waiting for that link); answers the disabled link's code",
  replaceActiveLinkSignal: 'The same as the replaceActiveLink update, without an answer (for callers that cannot send updates)',
  addWork: 'Add files, a link, a connection or payment-link updates to this remediation; answers per item: accepted, already-present or refused (with why)',
  moovChanged: "Moov's webhook says the account changed: re-read Moov now instead of at the next poll (repeats of an eventID are ignored)",
  markResolved: 'An operator confirms the merchant is done (only while awaiting the merchant); answers the final status',
} as const;

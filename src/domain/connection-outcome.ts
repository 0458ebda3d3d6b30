import type { ShareConnectionInput } from './remediation-input';

/**
 * What the connection step can report, and what an operator must be told about it. Workflow-safe.
 *
 * Moov answers 409 when the account is already connected to the principal, and lets a partner
 * read no connection's scopes: `POST /accounts/{accountID}/connections` is the only connection
 * call besides disconnecting, and `GET /accounts/{accountID}/connected-accounts` lists Account
 * objects, which carry no scopes (@moovio/sdk: funcs/accountsConnect.ts,
 * funcs/accountsListConnected.ts, models/components/account.ts). So after a 409 nothing can tell
 * whether the existing connection grants the scopes asked for: the outcome says so instead of
 * claiming them shared, and the remediation finishes with a warning rather than failing, because
 * no retry or rerun could get another answer from Moov.
 */
export const CONNECTION_OUTCOMES = {
  /** 201: Moov made the connection with the requested scopes (or all intersecting scopes). */
  shared: { verified: true },
  /** 409: a connection already existed; whether it grants the requested scopes is unknown. */
  'already-connected-scopes-unverified': { verified: false },
} as const;
export type ConnectionOutcome = keyof typeof CONNECTION_OUTCOMES;

/**
 * What activity workers older than this table return for a 409. A rolling deploy can hand it to
 * new workflow code; it means the same as `already-connected-scopes-unverified`.
 */
export type LegacyConnectionOutcome = 'already-shared';

/** Moov's default when `allowScopes` is omitted (docs.moov.io/guides/accounts/connections). */
export const ALL_INTERSECTING_SCOPES = 'all-intersecting';

/** The `shareConnection` activity's result (re-exported by ./activity-contracts). */
export interface ShareConnectionResult {
  /** `already-shared` comes only from activity workers older than CONNECTION_OUTCOMES (rolling deploy). */
  outcome: ConnectionOutcome | LegacyConnectionOutcome;
  /** Moov's message with a 409. */
  moovMessage?: string;
  requestId?: string;
}

/** The connection step in a remediation's status (re-exported by ./remediation-status). */
export interface ConnectionProgress {
  principalAccountID: string;
  /** See CONNECTION_OUTCOMES; `already-shared` only in statuses recorded by older code (a 409). */
  outcome: ConnectionOutcome | LegacyConnectionOutcome;
  /** The scopes asked for, or `all-intersecting` (none named); absent in statuses recorded by older code. */
  requestedScopes?: string[] | typeof ALL_INTERSECTING_SCOPES;
  /** Moov's message with a 409. */
  moovMessage?: string;
  requestId?: string;
}

export function connectionProgress(connection: ShareConnectionInput, result: ShareConnectionResult): ConnectionProgress {
  const outcome: ConnectionOutcome = result.outcome === 'already-shared' ? 'already-connected-scopes-unverified' : result.outcome;
  return {
    principalAccountID: connection.principalAccountID,
    outcome,
    requestedScopes: connection.allowScopes ? [...connection.allowScopes] : ALL_INTERSECTING_SCOPES,
    ...(result.moovMessage !== undefined && { moovMessage: result.moovMessage }),
    ...(result.requestId !== undefined && { requestId: result.requestId }),
  };
}

/** The scopes asked for, as an operator reads them; undefined for statuses recorded before they were kept. */
export function describeRequestedScopes(requested: ConnectionProgress['requestedScopes'], detail = false): string | undefined {
  if (requested === undefined) return undefined;
  if (requested === ALL_INTERSECTING_SCOPES) return detail ? 'all intersecting scopes (none were named)' : 'all intersecting scopes';
  return requested.join(', ');
}

/** The warning a remediation's status carries for this connection outcome, if any. */
export function connectionWarning(progress: ConnectionProgress): string | undefined {
  const verified = progress.outcome === 'already-shared' ? false : CONNECTION_OUTCOMES[progress.outcome].verified;
  if (verified) return undefined;
  const answer = progress.moovMessage ? `Moov answered 409 (${progress.moovMessage})` : 'Moov answered 409';
  const scopes = describeRequestedScopes(progress.requestedScopes, true) ?? 'the scopes asked for';
  return (
    `connection: ${answer}: a connection to ${progress.principalAccountID} already exists, ` +
    `and Moov does not let a partner read its scopes, so it is NOT verified that it grants ${scopes}. ` +
    'Check the connection at Moov before relying on those scopes.'
  );
}

/**
 * Moov's `status` of a resolution link is optional in its schema, and its API reference's own
 * create example leaves it out (docs.moov.io/api/moov-accounts/resolution-links/). One rule says
 * what a link without it is, for every reader in the workflow (the wait, follow-through, the
 * status), on the workflow's clock: disabled when Moov stamped `disabledOn`, expired once
 * `expiresOn` has passed, active otherwise. (After a 409 the activity takes a status-less link
 * that is not disabled as the active one: there Moov itself said a link is active.)
 */
export function effectiveLinkStatus(link: { status?: string; disabledOn?: string; expiresOn: string }, nowMs: number): string {
  if (link.status !== undefined) return link.status;
  if (link.disabledOn !== undefined) return 'disabled';
  return Date.parse(link.expiresOn) <= nowMs ? 'expired' : 'active';
}

import { z } from 'zod';
import { str } from '../validation';

/**
 * Sharing the account connection (docs.moov.io/api/moov-accounts/accounts/, "Share account connection"):
 * checked in the remediation and sweep inputs, inside the workflow too, and sent as is by the
 * wire layer, which imports it from here.
 */

/** The "Share account connection" page's enum, verbatim and in its order. */
export const APPLICATION_SCOPES = [
  'accounts.read',
  'accounts.write',
  'analytics.read',
  'apple-pay-merchant.read',
  'apple-pay-merchant.write',
  'apple-pay.read',
  'apple-pay.write',
  'bank-accounts.read',
  'bank-accounts.write',
  'capabilities.read',
  'capabilities.write',
  'cards.read',
  'cards.write',
  'documents.read',
  'documents.write',
  'fed.read',
  'files.read',
  'files.write',
  'issued-cards.read',
  'issued-cards.write',
  'issued-cards.read-secure',
  'payment-methods.read',
  'ping.read',
  'profile-enrichment.read',
  'profile.read',
  'profile.write',
  'profile.disconnect',
  'representatives.read',
  'representatives.write',
  'transfers.read',
  'transfers.write',
  'wallets.read',
] as const;
export type ApplicationScope = (typeof APPLICATION_SCOPES)[number];

export const shareConnectionSchema = z.strictObject({
  principalAccountID: str().min(1, { error: 'must not be empty', abort: true }).regex(/^\S+$/, 'must not contain whitespace'),
  /** Omitted means "all intersecting scopes" (docs.moov.io/api/moov-accounts/accounts/, "Share account connection"); an empty list would be ambiguous. */
  allowScopes: z
    .array(z.enum(APPLICATION_SCOPES, { error: 'is not a Moov application scope (docs.moov.io lists them under "Share account connection")' }))
    .min(1, 'must list at least one scope, or be omitted to share all intersecting scopes')
    .optional(),
});
export type ShareConnection = z.infer<typeof shareConnectionSchema>;

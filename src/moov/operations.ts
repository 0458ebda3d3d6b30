import type { z } from 'zod';
import { accountListSchema, accountSchema, capabilityListSchema } from './schemas/accounts';
import { fileDetailsSchema, fileListSchema } from './schemas/files';
import { paymentLinkSchema } from './schemas/payment-links';
import { resolutionLinkListSchema, resolutionLinkSchema } from './schemas/resolution-links';
import type { HttpMethod } from './transport';

/** One Moov API operation, as its reference page documents it (docs.moov.io/api). */
export interface MoovOperation {
  method: HttpMethod;
  /** Path template; `{name}` is a path parameter (also the bounded-cardinality route label in metrics). */
  route: string;
  /** Access-token scopes, with `{accountID}` filled in (named in 403 messages). */
  scopes?: readonly string[];
  /** The 2xx body's shape; `null` for answers without a body (201/204, whatever arrives is ignored). */
  response: z.ZodType | null;
  /**
   * Error statuses that answer the call rather than fail it, each with what it means: Moov's word
   * that the effect already exists or is already gone. Read by the activity that makes the call.
   */
  answers?: Readonly<Partial<Record<number, string>>>;
}

/**
 * Every operation the worker makes, written once: the client builds its requests from these rows,
 * the metrics label exchanges with their routes, and activities read what an error status answers.
 */
export const MOOV_OPERATIONS = {
  // docs.moov.io/api/moov-accounts/files/
  uploadFile: { method: 'POST', route: '/accounts/{accountID}/files', scopes: ['/accounts/{accountID}/files.write'], response: fileDetailsSchema },
  listFiles: { method: 'GET', route: '/accounts/{accountID}/files', scopes: ['/accounts/{accountID}/files.read'], response: fileListSchema },
  getFile: { method: 'GET', route: '/accounts/{accountID}/files/{fileID}', scopes: ['/accounts/{accountID}/files.read'], response: fileDetailsSchema },
  // docs.moov.io/api/moov-accounts/resolution-links/
  createResolutionLink: {
    method: 'POST',
    route: '/accounts/{accountID}/resolution-links',
    scopes: ['/accounts/{accountID}/profile.write', '/accounts/{accountID}/representatives.write', '/accounts/{accountID}/files.write'],
    response: resolutionLinkSchema,
    answers: { 409: 'the account already has an active resolution link' },
  },
  listResolutionLinks: { method: 'GET', route: '/accounts/{accountID}/resolution-links', scopes: ['/accounts/{accountID}/profile.read'], response: resolutionLinkListSchema },
  getResolutionLink: {
    method: 'GET',
    route: '/accounts/{accountID}/resolution-links/{code}',
    scopes: ['/accounts/{accountID}/profile.read'],
    response: resolutionLinkSchema,
    answers: { 404: 'the link is gone' },
  },
  disableResolutionLink: {
    method: 'DELETE',
    route: '/accounts/{accountID}/resolution-links/{code}',
    scopes: ['/accounts/{accountID}/profile.write'],
    response: null,
    answers: { 404: 'the link is already gone', 409: 'the link is no longer active' },
  },
  // docs.moov.io/api/moov-accounts/accounts/ (connections; no access-token scope documented)
  shareConnection: {
    method: 'POST',
    route: '/accounts/{accountID}/connections',
    response: null,
    answers: { 409: 'the principal already has a connection to the account' },
  },
  // docs.moov.io/api/money-movement/payment-links/
  getPaymentLink: { method: 'GET', route: '/accounts/{accountID}/payment-links/{code}', scopes: ['/accounts/{accountID}/transfers.read'], response: paymentLinkSchema },
  updatePaymentLink: { method: 'PATCH', route: '/accounts/{accountID}/payment-links/{code}', scopes: ['/accounts/{accountID}/transfers.write'], response: paymentLinkSchema },
  // docs.moov.io/api/moov-accounts/accounts/
  listAccounts: { method: 'GET', route: '/accounts', scopes: ['/accounts.read'], response: accountListSchema },
  getAccount: { method: 'GET', route: '/accounts/{accountID}', scopes: ['/accounts/{accountID}/profile.read'], response: accountSchema },
  // docs.moov.io/api/moov-accounts/capabilities/
  listCapabilities: { method: 'GET', route: '/accounts/{accountID}/capabilities', scopes: ['/accounts/{accountID}/capabilities.read'], response: capabilityListSchema },
} as const satisfies Record<string, MoovOperation>;

export type MoovOperationName = keyof typeof MOOV_OPERATIONS;

/** The route template of an operation, for observers (no IDs, so metrics labels stay bounded). */
export function routeOf(operation: string): string {
  return (MOOV_OPERATIONS as Record<string, MoovOperation | undefined>)[operation]?.route ?? operation;
}

/** The statuses that answer this call (MOOV_OPERATIONS `answers`). */
export function answeringStatuses(operation: MoovOperationName): readonly number[] {
  const answers: MoovOperation['answers'] = (MOOV_OPERATIONS[operation] as MoovOperation).answers;
  return answers ? Object.keys(answers).map(Number) : [];
}

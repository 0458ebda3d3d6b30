import { z } from 'zod';
import { resolutionLinkRecipientSchema } from '../../domain/moov-requests/resolution-links';
import { listOf, openEnum, timestamp } from './common';

// The recipient's shape lives in src/domain, where the workflow's input checks it.
export { phoneNumberSchema, resolutionLinkRecipientSchema } from '../../domain/moov-requests/resolution-links';

export const RESOLUTION_LINK_STATUSES = ['active', 'submitted', 'completed', 'disabled', 'expired'] as const;

export const createResolutionLinkSchema = z.strictObject({ recipient: resolutionLinkRecipientSchema });
export type CreateResolutionLink = z.infer<typeof createResolutionLinkSchema>;

export const resolutionLinkSchema = z.looseObject({
  code: z.string(),
  accountID: z.string(),
  partnerAccountID: z.string(),
  /** Moov flattens the recipient to one string, e.g. "15555555555" or an email address. */
  recipient: z.string(),
  url: z.string(),
  // Optional because the "Create resolution link" page's own example response omits it.
  status: openEnum(RESOLUTION_LINK_STATUSES).optional(),
  createdOn: timestamp,
  updatedOn: timestamp,
  expiresOn: timestamp,
  disabledOn: timestamp.optional(),
});
export type ResolutionLink = z.infer<typeof resolutionLinkSchema>;

export const resolutionLinkListSchema = listOf(resolutionLinkSchema);

import { z } from 'zod';
import { listOf, openEnum, str, timestamp } from './common';

export const RESOLUTION_LINK_STATUSES = ['active', 'submitted', 'completed', 'disabled', 'expired'] as const;

/** Seed 000: number ≤10 characters, countryCode ≤1 character; both digits in practice. */
export const phoneNumberSchema = z.strictObject({
  number: str().regex(/^\d{1,10}$/, 'must be 1–10 digits'),
  countryCode: str().regex(/^\d$/, 'must be a single digit').optional(),
});

export const resolutionLinkRecipientSchema = z
  .strictObject({
    email: z.email('must be a valid email address').optional(),
    phone: phoneNumberSchema.optional(),
  })
  .superRefine((recipient, ctx) => {
    const hasEmail = recipient.email !== undefined;
    const hasPhone = recipient.phone !== undefined;
    if (hasEmail && hasPhone) ctx.addIssue({ code: 'custom', message: 'provide either email or phone, not both' });
    if (!hasEmail && !hasPhone) ctx.addIssue({ code: 'custom', message: 'provide either email or phone' });
  });

export const createResolutionLinkSchema = z.strictObject({ recipient: resolutionLinkRecipientSchema });
export type CreateResolutionLink = z.infer<typeof createResolutionLinkSchema>;

export const resolutionLinkSchema = z.looseObject({
  code: z.string(),
  accountID: z.string(),
  partnerAccountID: z.string(),
  /** Moov flattens the recipient to one string, e.g. "15555555555" or an email address. */
  recipient: z.string(),
  url: z.string(),
  // Optional because seed 000's own example response omits it.
  status: openEnum(RESOLUTION_LINK_STATUSES).optional(),
  createdOn: timestamp,
  updatedOn: timestamp,
  expiresOn: timestamp,
  disabledOn: timestamp.optional(),
});
export type ResolutionLink = z.infer<typeof resolutionLinkSchema>;

export const resolutionLinkListSchema = listOf(resolutionLinkSchema);

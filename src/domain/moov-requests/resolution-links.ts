import { z } from 'zod';
import { str } from '../validation';

/**
 * Who receives a resolution link (Moov's "Create resolution link" page (docs.moov.io/api/moov-accounts/resolution-links/): `POST /accounts/{accountID}/resolution-links`;
 * docs.moov.io/api/moov-accounts/resolution-links/): checked in the remediation input, inside the
 * workflow too; the wire layer's create request is built from it.
 */

/** Moov's "Create resolution link" page (docs.moov.io/api/moov-accounts/resolution-links/): number ≤10 characters, countryCode ≤1 character; both digits in practice. */
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

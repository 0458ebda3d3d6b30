import { z } from 'zod';
import { lazySchema, str } from '../validation';

/**
 * Updating a payment link (Moov's "Update payment link" page (docs.moov.io/api/money-movement/payment-links/): `PATCH /accounts/{accountID}/payment-links/{code}`): the
 * remediation input carries these updates, so the workflow checks them too; the wire layer
 * imports the schema from here and sends what it accepted.
 */

export const CALL_TO_ACTIONS = ['pay', 'book', 'subscribe', 'donate', 'confirm', 'auto'] as const;
export const COLLECTION_METHODS = ['apple-pay', 'card-payment', 'ach-debit-collect'] as const;
export const DISBURSEMENT_METHODS = ['push-to-card', 'rtp-credit', 'ach-credit-same-day', 'ach-credit-standard'] as const;

const length = (min: number, max: number) =>
  str()
    .min(min, `must be ${min}–${max} characters`)
    .max(max, `must be ${min}–${max} characters`);

/** A non-empty list of `methods`, required whenever its `owner` (payment or payout) is present. */
function allowedMethods<const M extends readonly [string, ...string[]]>(methods: M, owner: 'payment' | 'payout') {
  return z
    .array(z.enum(methods, { error: `must be one of ${methods.join(', ')}` }), {
      error: (issue) => (issue.input === undefined ? `is required when ${owner} is present` : 'must be an array'),
    })
    .min(1, 'must list at least one method');
}

/** Limits are the "Update payment link" page's. Built on first use (lazySchema): most remediations update no payment link. */
export const updatePaymentLinkSchema = lazySchema(() =>
  z
    .strictObject({
      amount: z
        .strictObject({
          currency: str().regex(/^[A-Z]{3}$/, 'must be a 3-letter uppercase ISO 4217 code, e.g. USD').optional(),
          value: z
            .number({ error: 'must be a number' })
            .int('must be an integer (smallest currency unit, e.g. cents)')
            .nonnegative('must not be negative')
            .max(Number.MAX_SAFE_INTEGER, 'is too large')
            .optional(),
        })
        .optional(),
      customer: z
        .strictObject({
          metadata: z.record(z.string(), str()).optional(),
          requireAddress: z.boolean({ error: 'must be a boolean' }).optional(),
          requirePhone: z.boolean({ error: 'must be a boolean' }).optional(),
        })
        .optional(),
      display: z
        .strictObject({
          callToAction: z.enum(CALL_TO_ACTIONS, { error: `must be one of ${CALL_TO_ACTIONS.join(', ')}` }).optional(),
          description: str().optional(),
          title: str().optional(),
        })
        .optional(),
      /** `null` clears the expiry (the SDK's UpdatePaymentLink allows it). */
      expiresOn: z.iso
        .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-08-24T14:15:22Z' })
        .max(24, 'must be at most 24 characters')
        .nullable()
        .optional(),
      payment: z
        .strictObject({
          allowedMethods: allowedMethods(COLLECTION_METHODS, 'payment'),
          achDetails: z
            .strictObject({
              companyEntryDescription: length(4, 10).optional(),
              originatingCompanyName: length(4, 16).optional(),
            })
            .optional(),
          cardDetails: z.strictObject({ dynamicDescriptor: length(4, 22).optional() }).optional(),
        })
        .optional(),
      payout: z
        .strictObject({
          allowedMethods: allowedMethods(DISBURSEMENT_METHODS, 'payout'),
          recipient: z.strictObject(
            { email: z.email('must be a valid email address').optional() },
            { error: (issue) => (issue.input === undefined ? 'is required when payout is present' : 'must be an object') },
          ),
        })
        .optional(),
    })
    .refine((update) => Object.values(update).some((v) => v !== undefined), 'provide at least one field to update'),
);
export type UpdatePaymentLink = z.input<typeof updatePaymentLinkSchema>;

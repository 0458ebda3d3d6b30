import { z } from 'zod';
import { CALL_TO_ACTIONS, COLLECTION_METHODS, DISBURSEMENT_METHODS } from '../../domain/moov-requests/payment-links';
import { openEnum, timestamp } from './common';

// The update's shape and its enums live in src/domain, where the workflow's input checks them.
export { CALL_TO_ACTIONS, COLLECTION_METHODS, DISBURSEMENT_METHODS, updatePaymentLinkSchema } from '../../domain/moov-requests/payment-links';
export type { UpdatePaymentLink } from '../../domain/moov-requests/payment-links';

export const PAYMENT_LINK_STATUSES = ['active', 'used', 'disabled', 'expired'] as const;
export const PAYMENT_LINK_MODES = ['sandbox', 'production'] as const;

const amountSchema = z.looseObject({ currency: z.string(), value: z.number().int() });

export const paymentLinkSchema = z.looseObject({
  code: z.string(),
  status: openEnum(PAYMENT_LINK_STATUSES),
  mode: openEnum(PAYMENT_LINK_MODES),
  partnerAccountID: z.string(),
  merchantAccountID: z.string(),
  merchantPaymentMethodID: z.string(),
  link: z.string(),
  // Moov's "Update payment link" page (docs.moov.io/api/money-movement/payment-links/) calls it required; the current SDK makes it optional (line-item links have none).
  amount: amountSchema.optional(),
  uses: z.number().int(),
  maxUses: z.number().int().optional(),
  display: z.looseObject({ title: z.string(), description: z.string(), callToAction: openEnum(CALL_TO_ACTIONS) }),
  customer: z.looseObject({
    metadata: z.record(z.string(), z.string()).optional(),
    requireAddress: z.boolean().optional(),
    requirePhone: z.boolean().optional(),
  }),
  payment: z
    .looseObject({
      allowedMethods: z.array(openEnum(COLLECTION_METHODS)),
      achDetails: z.looseObject({ companyEntryDescription: z.string().optional(), originatingCompanyName: z.string().optional() }).optional(),
      cardDetails: z.looseObject({ dynamicDescriptor: z.string().optional() }).optional(),
    })
    .optional(),
  payout: z
    .looseObject({
      allowedMethods: z.array(openEnum(DISBURSEMENT_METHODS)),
      recipient: z.looseObject({ email: z.string().optional() }),
    })
    .optional(),
  createdOn: timestamp,
  updatedOn: timestamp,
  expiresOn: timestamp.optional(),
  lastUsedOn: timestamp.optional(),
  disabledOn: timestamp.optional(),
});
export type PaymentLink = z.infer<typeof paymentLinkSchema>;

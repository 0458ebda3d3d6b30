import { z } from 'zod';
import { listOf, openEnum, str, timestamp } from './common';

export const ACCOUNT_TYPES = ['individual', 'business', 'guest'] as const;
export const CAPABILITY_STATUSES = ['enabled', 'disabled', 'pending', 'in-review'] as const;
export const REQUIREMENT_ERROR_CODES = [
  'invalid-value',
  'failed-automatic-verification',
  'failed-other',
  'invalid-address',
  'address-restricted',
  'tax-id-mismatch',
  'document-id-mismatch',
  'document-date-of-birth-mismatch',
  'document-name-mismatch',
  'document-address.mismatch',
  'document-number-mismatch',
  'document-incomplete',
  'document-failed-risk',
  'document-illegible',
  'document-unsupported',
  'document-not-uploaded',
  'document-corrupt',
  'document-expired',
] as const;

const phone = z.looseObject({ number: z.string().optional(), countryCode: z.string().optional() });

/** Only what remediation reads (contact details, names); the rest passes through untouched. */
export const accountSchema = z.looseObject({
  accountID: z.string(),
  accountType: openEnum(ACCOUNT_TYPES),
  displayName: z.string(),
  mode: z.string().optional(),
  profile: z.looseObject({
    individual: z
      .looseObject({
        name: z.looseObject({ firstName: z.string().optional(), lastName: z.string().optional() }).optional(),
        email: z.string().optional(),
        phone: phone.optional(),
      })
      .optional(),
    business: z
      .looseObject({
        legalBusinessName: z.string().optional(),
        doingBusinessAs: z.string().optional(),
        email: z.string().optional(),
        phone: phone.optional(),
      })
      .optional(),
  }),
  metadata: z.record(z.string(), z.string()).optional(),
  foreignID: z.string().optional(),
  capabilities: z.array(z.looseObject({ capability: z.string(), status: openEnum(CAPABILITY_STATUSES) })).optional(),
  createdOn: timestamp,
  updatedOn: timestamp,
  disconnectedOn: timestamp.optional(),
});
export type Account = z.infer<typeof accountSchema>;
export const accountListSchema = listOf(accountSchema);

export const capabilitySchema = z.looseObject({
  capability: z.string(),
  accountID: z.string(),
  status: openEnum(CAPABILITY_STATUSES),
  requirements: z
    .looseObject({
      currentlyDue: listOf(z.string()).optional(),
      errors: listOf(z.looseObject({ requirement: z.string(), errorCode: openEnum(REQUIREMENT_ERROR_CODES).optional() })).optional(),
    })
    .optional(),
  disabledReason: z.string().optional(),
  createdOn: timestamp,
  updatedOn: timestamp,
  disabledOn: timestamp.optional(),
});
export type Capability = z.infer<typeof capabilitySchema>;
export const capabilityListSchema = listOf(capabilitySchema);

const nonNegativeInt = z.number({ error: 'must be a number' }).int('must be an integer').nonnegative('must not be negative');
export const listAccountsQuerySchema = z.strictObject({
  skip: nonNegativeInt.optional(),
  // No upper bound here: Moov documents none, and a server cap is not an error.
  count: nonNegativeInt.optional(),
  capability: str().min(1, 'must not be empty').optional(),
  capabilityStatus: str().min(1, 'must not be empty').optional(),
});
export type ListAccountsQuery = z.infer<typeof listAccountsQuerySchema>;

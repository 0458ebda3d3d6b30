/**
 * Moov's wire shapes as the sandbox emits them. Field names and enums follow the official SDK's
 * models (`@moovio/sdk` components) and Moov's API reference pages (docs.moov.io/api).
 */

export const FILE_PURPOSES = [
  'identity_verification',
  'business_verification',
  'representative_verification',
  'individual_verification',
  'merchant_underwriting',
  'account_requirement',
] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export const FILE_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const FILE_METADATA_KEYS = ['representative_id', 'comment', 'requirement_id', 'error_code'] as const;

export const RESOLUTION_LINK_STATUSES = ['active', 'submitted', 'completed', 'disabled', 'expired'] as const;
export type ResolutionLinkStatus = (typeof RESOLUTION_LINK_STATUSES)[number];

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

export const CAPABILITY_STATUSES = ['enabled', 'disabled', 'pending', 'in-review'] as const;
export type CapabilityStatus = (typeof CAPABILITY_STATUSES)[number];

export const PAYMENT_LINK_STATUSES = ['active', 'used', 'disabled', 'expired'] as const;
export type PaymentLinkStatus = (typeof PAYMENT_LINK_STATUSES)[number];

export const CALL_TO_ACTIONS = ['pay', 'book', 'subscribe', 'donate', 'confirm', 'auto'] as const;
// Moov's "Update payment link" page (docs.moov.io/api/money-movement/payment-links/) lists the first three; the SDK (API v2026.07) adds google-pay.
export const COLLECTION_METHODS = ['apple-pay', 'card-payment', 'ach-debit-collect', 'google-pay'] as const;
// That page lists the first four; the SDK adds the wallet pushes.
export const DISBURSEMENT_METHODS = [
  'push-to-card',
  'rtp-credit',
  'ach-credit-same-day',
  'ach-credit-standard',
  'push-to-apple-pay',
  'push-to-google-pay',
] as const;

export interface FileDetails {
  fileID: string;
  fileName: string;
  accountID: string;
  filePurpose: FilePurpose;
  fileStatus: FileStatus;
  metadata: string;
  decisionReason?: string;
  fileSizeBytes: number;
  createdOn: string;
  updatedOn: string;
}

export interface ResolutionLink {
  code: string;
  accountID: string;
  partnerAccountID: string;
  recipient: string;
  url: string;
  status: ResolutionLinkStatus;
  createdOn: string;
  updatedOn: string;
  disabledOn?: string;
  expiresOn: string;
  /**
   * Admin seeding only: answer for this link without `status`, as the create example in Moov's
   * API reference does (the field is optional in Moov's schema). Never sent on the wire.
   */
  statusOmitted?: boolean;
}

export interface PhoneNumber {
  number: string;
  countryCode: string;
}

export interface RequirementError {
  requirement: string;
  errorCode?: string;
}

export interface Capability {
  capability: string;
  accountID: string;
  status: CapabilityStatus;
  requirements: { currentlyDue: string[]; errors: RequirementError[] };
  disabledReason?: string;
  createdOn: string;
  updatedOn: string;
  disabledOn?: string;
}

/** Moov's Representative (the SDK's `Representative` component), as far as the sandbox keeps one. */
export interface Representative {
  representativeID: string;
  name: { firstName: string; lastName: string };
  email?: string;
  phone?: PhoneNumber;
  responsibilities?: { isController?: boolean; isOwner?: boolean; ownershipPercentage?: number; jobTitle?: string };
  createdOn: string;
  updatedOn: string;
  /** Set by DELETE: Moov keeps a deleted representative as disabled and stops listing it. */
  disabledOn?: string;
}

export interface Account {
  accountID: string;
  mode: 'sandbox' | 'production';
  accountType: 'individual' | 'business';
  displayName: string;
  profile: {
    individual?: {
      name: { firstName: string; lastName: string };
      email?: string;
      phone?: PhoneNumber;
    };
    business?: {
      legalBusinessName: string;
      email?: string;
      phone?: PhoneNumber;
      ownersProvided: boolean;
    };
  };
  foreignID?: string;
  capabilities: { capability: string; status: CapabilityStatus }[];
  verification: { status: 'unverified' | 'pending' | 'verified' | 'errored' };
  createdOn: string;
  updatedOn: string;
}

export interface PaymentLink {
  code: string;
  paymentLinkType: 'payment' | 'payout';
  mode: 'sandbox' | 'production';
  status: PaymentLinkStatus;
  partnerAccountID: string;
  merchantAccountID: string;
  ownerAccountID: string;
  merchantPaymentMethodID: string;
  link: string;
  amount: { currency: string; value: number };
  uses: number;
  maxUses?: number;
  lastUsedOn?: string;
  expiresOn?: string;
  display: { title: string; description: string; callToAction: (typeof CALL_TO_ACTIONS)[number] };
  customer: { requireAddress?: boolean; requirePhone?: boolean; tippingEnabled?: boolean; metadata?: Record<string, string> };
  payment?: {
    allowedMethods: (typeof COLLECTION_METHODS)[number][];
    cardDetails?: { dynamicDescriptor?: string };
    achDetails?: { companyEntryDescription?: string; originatingCompanyName?: string };
  };
  payout?: {
    allowedMethods: (typeof DISBURSEMENT_METHODS)[number][];
    recipient: { email?: string };
  };
  createdOn: string;
  updatedOn: string;
  disabledOn?: string;
}

export interface Connection {
  principalAccountID: string;
  allowScopes: string[];
  createdOn: string;
}

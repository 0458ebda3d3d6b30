import type { FileToUpload, PaymentLinkUpdate, Recipient, ShareConnectionInput } from './remediation-input';

/**
 * Inputs and outputs of the remediation activities. Workflows see only these shapes, never the
 * Moov client, so what crosses into history is small and carries no file bytes.
 */
export interface PlanFileUploadsInput {
  accountID: string;
  files: FileToUpload[];
}

export interface PlannedFile {
  index: number;
  fileName: string;
  sizeBytes: number;
  /** SHA-256 of the bytes (hex): the file's identity at Moov. Absent in histories recorded before it existed. */
  sha256?: string;
  /** Object storage: the version (`version:<id>`) or ETag (`etag:<etag>`) the plan read; never the bytes or a URL. */
  version?: string;
  /** Set when the account already holds this content (same bytes, purpose and requirement) and Moov has not rejected it. */
  existingFileID?: string;
  existingFileStatus?: string;
}

export interface FileUploadPlan {
  files: PlannedFile[];
  accountFileCount: number;
  requestId?: string;
  /** When the plan listed the account's files (ISO); absent in histories recorded before it existed. */
  listedAt?: string;
}

export interface UploadFileInput {
  accountID: string;
  file: FileToUpload;
  /**
   * The plan's `listedAt`: the account's file list did not hold this file then. A first attempt
   * soon after it uploads without listing again; retries (and stale plans) list first.
   */
  plannedAbsentAt?: string;
  /** The plan's `sha256`: what `plannedAbsentAt` vouches for. Bytes changed since the plan are listed again. */
  plannedSha256?: string;
  /** The plan's `version`: an object still at that version is not read a second time before its upload. */
  plannedVersion?: string;
}

export interface UploadedFile {
  fileID: string;
  fileName: string;
  fileStatus: string;
  outcome: 'uploaded' | 'already-present';
  /** SHA-256 of the bytes (hex); absent in histories recorded before it existed. */
  sha256?: string;
  requestId?: string;
}

export interface ResolutionLinkView {
  code: string;
  url: string;
  /** As Moov sent it; absent when Moov leaves it out. Read it with effectiveLinkStatus (one rule, the workflow's clock). */
  status?: string;
  recipient: string;
  createdOn: string;
  expiresOn: string;
  disabledOn?: string;
  /**
   * Whether Moov's `partnerAccountID` on the link is this worker's partner (MOOV_PARTNER_ACCOUNT_ID).
   * Absent when the worker does not know its partner account, and in histories from before it existed.
   */
  fromThisPartner?: boolean;
}

export interface CreateResolutionLinkInput {
  accountID: string;
  recipient: Recipient;
}

export type CreateResolutionLinkOutcome =
  | { outcome: 'created'; link: ResolutionLinkView; requestId?: string }
  /** Moov answered 409: this is the account's active link (ours or someone else's). */
  | { outcome: 'active-exists'; link: ResolutionLinkView; requestId?: string };

export interface ResolutionLinkRef {
  accountID: string;
  code: string;
}

export interface LinkLookup {
  /** Absent when Moov answers 404: the link is gone, which ends any wait for it. */
  link?: ResolutionLinkView;
  requestId?: string;
}

export interface DisableLinkResult {
  outcome: 'disabled' | 'already-gone';
  requestId?: string;
}

export interface ShareConnectionActivityInput {
  accountID: string;
  connection: ShareConnectionInput;
}

/** Declared beside the outcomes it carries. */
export type { ShareConnectionResult } from './connection-outcome';

export interface UpdatePaymentLinkInput {
  accountID: string;
  code: string;
  update: PaymentLinkUpdate;
}

export interface UpdatedPaymentLink {
  code: string;
  status: string;
  requestId?: string;
}

/**
 * Whether a link Moov reports was sent to this recipient. Moov renders a phone recipient as
 * country code + number ("15555555555") and an email as given.
 */
export function isSameRecipient(linkRecipient: string, recipient: Recipient): boolean {
  if (recipient.email !== undefined) return linkRecipient.trim().toLowerCase() === recipient.email.trim().toLowerCase();
  if (!recipient.phone) return false;
  const digits = linkRecipient.replace(/\D/g, '');
  const { countryCode, number } = recipient.phone;
  return countryCode !== undefined ? digits === `${countryCode}${number}` : digits.endsWith(number);
}

export interface AccountRef {
  accountID: string;
}

export interface RequirementError {
  capability: string;
  requirement: string;
  errorCode?: string;
}

/** What Moov still wants from the merchant, across all capabilities. */
export interface RequirementsSummary {
  errors: RequirementError[];
  currentlyDue: { capability: string; requirement: string }[];
  capabilities: { capability: string; status: string }[];
  requestId?: string;
}

export interface FileReviewsInput {
  accountID: string;
  fileIDs: string[];
}

export interface FileReview {
  fileID: string;
  fileStatus: string;
  decisionReason?: string;
}

export interface FileReviews {
  files: FileReview[];
  requestId?: string;
}

export interface ListConnectedAccountsInput {
  skip: number;
  count: number;
  capability?: string;
  capabilityStatus?: string;
}

/** The part of an account a sweep needs: who it is and how to reach the merchant. */
export interface ConnectedAccount {
  accountID: string;
  displayName: string;
  email?: string;
  phone?: { number: string; countryCode?: string };
}

/** The account's latest remediation run, as Temporal describes it (absent: none ever ran). */
export interface LastRemediation {
  /** Temporal's execution status name, e.g. RUNNING, COMPLETED, FAILED. */
  status?: string;
  closedAt?: string;
  /** A failed run's failure type (e.g. MoovOutageTooLong) and, for MoovRetriesExhausted, its last failure's. */
  failureType?: string;
  lastFailureType?: string;
}

export interface ConnectedAccountsPage {
  accounts: ConnectedAccount[];
  requestId?: string;
}

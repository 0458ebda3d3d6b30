export { MoovClient } from './client';
export type { MoovResponse } from './client';
export { moovConfigFromEnv, validateMoovConfig, DEFAULT_BASE_URL, DEFAULT_MOOV_VERSION } from './config';
export type { MoovClientConfig } from './config';
export type { MoovAuth } from './auth';
export { MoovError, MoovConfigError, classifyStatus, statusCondition } from './errors';
export type { HttpCondition, MoovErrorClass, MoovErrorKind } from './errors';
export { parseWaitHint, parseRetryAfter, parseRetryAfterMs, parseRetryIn, MAX_WAIT_HINT_MS } from './wait-hint';
export { CONTENT_TYPES, FileSourceError, MAX_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES, fileTypeFromName, openFileSource, sniffFileType } from './file-source';
export type { FileSource, UploadFileType } from './file-source';
export type { StreamedFilePart } from './multipart-body';
export { openEnum } from './schemas/common';
export type { Open } from './schemas/common';
export { FILE_PURPOSES, FILE_STATUSES, fileDetailsSchema, fileMetadataSchema, uploadFileRequestSchema } from './schemas/files';
export type { FileDetails, FileMetadata, FilePurpose, UploadFileRequest } from './schemas/files';
export { RESOLUTION_LINK_STATUSES, createResolutionLinkSchema, resolutionLinkSchema } from './schemas/resolution-links';
export type { CreateResolutionLink, ResolutionLink } from './schemas/resolution-links';
export { APPLICATION_SCOPES, shareConnectionSchema } from './schemas/connections';
export type { ApplicationScope, ShareConnection } from './schemas/connections';
export {
  CALL_TO_ACTIONS,
  COLLECTION_METHODS,
  DISBURSEMENT_METHODS,
  PAYMENT_LINK_STATUSES,
  paymentLinkSchema,
  updatePaymentLinkSchema,
} from './schemas/payment-links';
export type { PaymentLink, UpdatePaymentLink } from './schemas/payment-links';
export { CAPABILITY_STATUSES, REQUIREMENT_ERROR_CODES, accountSchema, capabilitySchema, listAccountsQuerySchema } from './schemas/accounts';
export type { Account, Capability, ListAccountsQuery } from './schemas/accounts';
export { MOOV_OPERATIONS, answeringStatuses, routeOf } from './operations';
export type { MoovOperation, MoovOperationName } from './operations';
export { PACING_MARGIN, RequestPacer, pacedRate } from './request-pacer';
export { DEFAULT_AVAILABILITY, MoovAvailability, type AvailabilityChange, type AvailabilitySettings } from './availability';
export type { DepartOutcome, Departure, RequestPacing } from './request-pacer';
export type { MoovClientOptions, MoovExchange, MoovExchangeObserver } from './observer';

/**
 * ApplicationFailure `type` names. Activities raise them, workflows and the retry policy key on
 * them, and the client shows them to operators, so they live in one place.
 */
export const FailureType = {
  /** 429: Moov's rate limit; retried after the server's wait hint. */
  RateLimited: 'MoovRateLimited',
  /** 5xx other than 501: retried. */
  ServerError: 'MoovServerError',
  /** 408: Moov (or a proxy before it) gave up waiting for our request; retried. */
  RequestTimeout: 'MoovRequestTimeout',
  /** 425: Moov will not yet process a request that might be replayed; retried. */
  TooEarly: 'MoovTooEarly',
  /** 501: Moov does not implement the call; not retried. */
  NotImplemented: 'MoovNotImplemented',
  /** Connection refused/reset, socket closed: retried. */
  NetworkError: 'MoovNetworkError',
  /** connect/headers/body timeout: retried. */
  Timeout: 'MoovTimeout',
  /** 400 and 422: the request was refused as invalid. */
  Validation: 'MoovValidationError',
  /** 401 and 403: credentials or scopes. */
  Auth: 'MoovAuthError',
  /** 404. */
  NotFound: 'MoovNotFound',
  /** 409 that the step could not resolve by itself. */
  Conflict: 'MoovConflict',
  /** A 2xx whose body did not match Moov's documented shape. */
  InvalidResponse: 'MoovInvalidResponse',
  /** Other 4xx (and a 3xx: redirects are not followed). */
  ClientError: 'MoovClientError',
  /** Refused before any call: bad input (workflow input, a file on disk, a request field). */
  InvalidInput: 'InvalidRemediationInput',
  /** Uploading would pass Moov's 50-files-per-account limit. */
  FileLimit: 'MoovFileLimitExceeded',
  /** Moov rejected a file with these exact bytes: uploading them again cannot satisfy the requirement. */
  FileRejected: 'MoovFileRejected',
  /** An upload of an earlier run, which ended mid-upload, may still land at Moov: the plan is retried after it can no longer. */
  UploadMayStillLand: 'MoovUploadMayStillLand',
  /** 409 on create, yet no active link listed: it ended in between; creating again is right. */
  LinkConflictRace: 'MoovLinkConflictRace',
  /** The active link did not go away within maxActiveLinkWait. */
  ActiveLinkWaitExceeded: 'ActiveLinkWaitExceeded',
  /** A step kept failing retryably (429/5xx/network/timeout) until its stepRetryTimeout was spent. */
  RetriesExhausted: 'MoovRetriesExhausted',
} as const;
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Failures the retry policy must never retry. */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = [
  FailureType.Validation,
  FailureType.Auth,
  FailureType.NotFound,
  FailureType.Conflict,
  FailureType.InvalidResponse,
  FailureType.ClientError,
  FailureType.NotImplemented,
  FailureType.InvalidInput,
  FailureType.FileLimit,
  FailureType.FileRejected,
];

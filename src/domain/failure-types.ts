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
  /** A step kept failing retryably (429/408/425, our own retried conditions) until its stepRetryTimeout was spent. */
  RetriesExhausted: 'MoovRetriesExhausted',
  /**
   * Moov looks down: a call kept failing with 5xx, network errors or timeouts for OUTAGE_AFTER_ATTEMPTS
   * attempts, or the worker's circuit breaker refused it without a request. The activity stops
   * retrying and hands the wait to the workflow, which parks the call durably (src/workflows/moov-outage.ts).
   */
  Unavailable: 'MoovUnavailable',
  /** Moov stayed unavailable for longer than maxOutageWait: the remediation failed, and a sweep restarts it. */
  OutageTooLong: 'MoovOutageTooLong',
  /** The addWork update reached a remediation that has ended: the caller starts the account's next one. */
  RemediationFinished: 'RemediationFinished',
  /** Object storage (DOCUMENTS_URL) did not answer, or answered 5xx: retried. */
  DocumentStoreUnavailable: 'DocumentStoreUnavailable',
  /** Object storage refused the worker's credentials (403): IAM, not the document; not retried. */
  DocumentStoreAccessDenied: 'DocumentStoreAccessDenied',
} as const;
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Whether Temporal's retry policy tries again after a failure of this type. */
type Retry = 'retried' | 'never';

interface RetryRow {
  retry: Retry;
  benign?: true;
  /** Moov may be down (5xx, no answer): after OUTAGE_AFTER_ATTEMPTS such attempts the call parks instead (src/domain/moov-outage.ts). */
  outage?: true;
  /** A remediation that failed this way ended on Moov's side, not on the merchant's: a sweep starts it again at once. */
  restartable?: true;
}

/**
 * The one retry decision per failure type. `benign`: an expected pause, not a fault (Moov asked us
 * to wait; an earlier run's upload may still land): Temporal logs it at a lower level and leaves it
 * out of failure metrics (docs.temporal.io/references/failures#application-failure, category BENIGN).
 */
export const FAILURE_RETRY: Readonly<Record<FailureTypeName, RetryRow>> = {
  [FailureType.RateLimited]: { retry: 'retried', benign: true },
  [FailureType.ServerError]: { retry: 'retried', outage: true },
  [FailureType.RequestTimeout]: { retry: 'retried' },
  [FailureType.TooEarly]: { retry: 'retried' },
  [FailureType.NotImplemented]: { retry: 'never' },
  [FailureType.NetworkError]: { retry: 'retried', outage: true },
  [FailureType.Timeout]: { retry: 'retried', outage: true },
  [FailureType.Validation]: { retry: 'never' },
  [FailureType.Auth]: { retry: 'never' },
  [FailureType.NotFound]: { retry: 'never' },
  [FailureType.Conflict]: { retry: 'never' },
  [FailureType.InvalidResponse]: { retry: 'never' },
  [FailureType.ClientError]: { retry: 'never' },
  [FailureType.InvalidInput]: { retry: 'never' },
  [FailureType.FileLimit]: { retry: 'never' },
  [FailureType.FileRejected]: { retry: 'never' },
  [FailureType.UploadMayStillLand]: { retry: 'retried', benign: true },
  [FailureType.LinkConflictRace]: { retry: 'retried', benign: true },
  // Raised by workflow code, which decides itself; never reaches a retry policy as an activity's.
  [FailureType.ActiveLinkWaitExceeded]: { retry: 'never' },
  [FailureType.RetriesExhausted]: { retry: 'never' },
  [FailureType.RemediationFinished]: { retry: 'never' },
  // Handed to the workflow, which waits the outage out with durable timers (a run of a build
  // before outages parked failed with it: restartable like a wait that was too long).
  [FailureType.Unavailable]: { retry: 'never', restartable: true },
  [FailureType.OutageTooLong]: { retry: 'never', restartable: true },
  [FailureType.DocumentStoreUnavailable]: { retry: 'retried' },
  [FailureType.DocumentStoreAccessDenied]: { retry: 'never' },
};

/**
 * Whether a remediation that failed this way may be started again at once: it ended on Moov's side
 * (an outage it waited out too long, or, before outages parked, a retry budget spent on 5xx).
 */
export function isRestartableFailure(failureType: string | undefined, lastFailureType?: string): boolean {
  return retryRowOf(failureType)?.restartable === true || (failureType === FailureType.RetriesExhausted && isOutageFailureType(lastFailureType));
}

/** Whether a failure of this type (a name from anywhere: unknown names are not) means Moov may be down. */
export function isOutageFailureType(type: string | undefined): boolean {
  return retryRowOf(type)?.outage === true;
}

/** The retry table's row for a type name from anywhere (a failure's `type`): none for names it does not know. */
function retryRowOf(type: string | undefined): RetryRow | undefined {
  return type === undefined ? undefined : (FAILURE_RETRY as Record<string, RetryRow | undefined>)[type];
}

/** Failures the retry policy must never retry. */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = (Object.keys(FAILURE_RETRY) as FailureTypeName[]).filter((type) => FAILURE_RETRY[type].retry === 'never');

/**
 * What went wrong in one Moov call: for an HTTP answer, what its status means (RFC 9110 §15; the
 * statuses are mapped in src/moov/errors.ts); otherwise how the exchange failed.
 */
export type MoovFailureCondition =
  | 'rate-limited'
  | 'server-error'
  | 'not-implemented'
  | 'request-timeout'
  | 'too-early'
  | 'conflict'
  | 'auth'
  | 'not-found'
  | 'validation'
  | 'client-error'
  | 'network'
  | 'timeout'
  | 'invalid-request'
  | 'invalid-response'
  /** The worker's circuit breaker held the request back: Moov failed every recent call (src/moov/availability.ts). */
  | 'unavailable';

/** Each condition's failure type: the row of FAILURE_RETRY that decides whether it is retried. */
export const MOOV_FAILURE_TYPES: Readonly<Record<MoovFailureCondition, FailureTypeName>> = {
  'rate-limited': FailureType.RateLimited,
  'server-error': FailureType.ServerError,
  'not-implemented': FailureType.NotImplemented,
  'request-timeout': FailureType.RequestTimeout,
  'too-early': FailureType.TooEarly,
  conflict: FailureType.Conflict,
  auth: FailureType.Auth,
  'not-found': FailureType.NotFound,
  validation: FailureType.Validation,
  'client-error': FailureType.ClientError,
  network: FailureType.NetworkError,
  timeout: FailureType.Timeout,
  'invalid-request': FailureType.InvalidInput,
  'invalid-response': FailureType.InvalidResponse,
  unavailable: FailureType.Unavailable,
};

export function isRetried(condition: MoovFailureCondition): boolean {
  return FAILURE_RETRY[MOOV_FAILURE_TYPES[condition]].retry === 'retried';
}

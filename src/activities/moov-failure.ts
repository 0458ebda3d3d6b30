import { ApplicationFailure } from '@temporalio/activity';
import { FailureType, type FailureTypeName } from '../domain/failure-types';
import { MoovError, statusMeaning, type HttpCondition, type MoovErrorKind } from '../moov';

/** What an activity failure carries besides its message: enough to trace it at Moov, no secrets. */
export interface MoovFailureDetails {
  operation: string;
  status?: number;
  requestId?: string;
  fieldErrors?: Record<string, unknown>;
  retryAfterMs?: number;
}

/** One failure type per HTTP condition; the condition itself comes from the status (statusMeaning). */
const HTTP_FAILURE_TYPES: Record<HttpCondition, FailureTypeName> = {
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
};

const KIND_FAILURE_TYPES: Record<Exclude<MoovErrorKind, 'http'>, FailureTypeName> = {
  'invalid-request': FailureType.InvalidInput,
  'invalid-response': FailureType.InvalidResponse,
  timeout: FailureType.Timeout,
  network: FailureType.NetworkError,
};

function failureType(err: MoovError): FailureTypeName {
  if (err.kind !== 'http') return KIND_FAILURE_TYPES[err.kind];
  return HTTP_FAILURE_TYPES[err.condition ?? statusMeaning(err.status ?? 0).condition];
}

/**
 * The single place where a Moov outcome becomes a Temporal retry decision: retryable failures
 * carry the server's wait hint as nextRetryDelay, everything else is non-retryable and typed.
 */
export function toApplicationFailure(err: MoovError): ApplicationFailure {
  const details: MoovFailureDetails = {
    operation: err.operation,
    ...(err.status !== undefined && { status: err.status }),
    ...(err.requestId !== undefined && { requestId: err.requestId }),
    ...(err.fieldErrors !== undefined && { fieldErrors: err.fieldErrors }),
    ...(err.retryAfterMs !== undefined && { retryAfterMs: err.retryAfterMs }),
  };
  const retryable = err.errorClass === 'retryable';
  return ApplicationFailure.create({
    type: failureType(err),
    message: err.message,
    nonRetryable: !retryable,
    details: [details],
    ...(retryable && err.retryAfterMs !== undefined && { nextRetryDelay: err.retryAfterMs }),
  });
}

/** Runs one Moov call; its MoovError (and only that) becomes the matching ApplicationFailure. */
export async function moovCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MoovError) throw toApplicationFailure(err);
    throw err;
  }
}

/** A refusal of our own, before any call to Moov. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidInput, message, nonRetryable: true });
}

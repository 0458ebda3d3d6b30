import { ApplicationFailure } from '@temporalio/activity';
import { FailureType, type FailureTypeName } from '../domain/failure-types';
import { MoovError } from '../moov';

/** What an activity failure carries besides its message: enough to trace it at Moov, no secrets. */
export interface MoovFailureDetails {
  operation: string;
  status?: number;
  requestId?: string;
  fieldErrors?: Record<string, unknown>;
  retryAfterMs?: number;
}

function failureType(err: MoovError): FailureTypeName {
  if (err.kind === 'invalid-request') return FailureType.InvalidInput;
  if (err.kind === 'invalid-response') return FailureType.InvalidResponse;
  if (err.kind === 'timeout') return FailureType.Timeout;
  if (err.kind === 'network') return FailureType.NetworkError;
  const status = err.status ?? 0;
  if (status === 429) return FailureType.RateLimited;
  if (status >= 500) return FailureType.ServerError;
  if (status === 409) return FailureType.Conflict;
  if (status === 401 || status === 403) return FailureType.Auth;
  if (status === 404) return FailureType.NotFound;
  if (status === 400 || status === 422) return FailureType.Validation;
  return FailureType.ClientError;
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

import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { FAILURE_RETRY, FailureType, MOOV_FAILURE_TYPES, isOutageFailureType, type FailureTypeName } from '../domain/failure-types';
import { OUTAGE_AFTER_ATTEMPTS } from '../domain/moov-outage';
import { MoovError, answeringStatuses, type MoovOperationName } from '../moov';

/** What an activity failure carries besides its message: enough to trace it at Moov, no secrets. */
export interface MoovFailureDetails {
  operation: string;
  status?: number;
  requestId?: string;
  fieldErrors?: Record<string, unknown>;
  retryAfterMs?: number;
  /** On MoovUnavailable: the failure type this attempt had (e.g. MoovServerError), and how many attempts found Moov down. */
  lastFailureType?: string;
  attempts?: number;
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
  const failureType = MOOV_FAILURE_TYPES[err.condition];
  const attempt = currentAttempt();
  // Moov looks down: the workflow waits it out with durable timers instead of this activity retrying.
  if (isOutageFailureType(failureType) && attempt >= OUTAGE_AFTER_ATTEMPTS) {
    return ApplicationFailure.create({
      type: FailureType.Unavailable,
      message: `Moov unavailable: ${attempt} attempts in a row failed; the last: ${err.message}`,
      nonRetryable: true,
      details: [{ ...details, lastFailureType: failureType, attempts: attempt }],
    });
  }
  const retryable = err.errorClass === 'retryable';
  const type = failureType;
  return ApplicationFailure.create({
    type,
    message: err.message,
    nonRetryable: !retryable,
    details: [details],
    ...failureCategory(type),
    ...(retryable && err.retryAfterMs !== undefined && { nextRetryDelay: err.retryAfterMs }),
  });
}

/** The running activity's attempt (1 outside an activity: the demo's set-up, scripts). */
function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** BENIGN for the failure types the retry table marks as expected pauses (FAILURE_RETRY). */
export function failureCategory(type: FailureTypeName): { category?: ApplicationFailureCategory } {
  return FAILURE_RETRY[type].benign ? { category: ApplicationFailureCategory.BENIGN } : {};
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

/**
 * Runs one Moov call whose answering statuses (MOOV_OPERATIONS `answers`: Moov's word that the
 * effect already exists or is already gone) are results, not failures: those become `onAnswer`'s
 * result, any other MoovError the matching ApplicationFailure.
 */
export async function moovCallAnswering<T>(operation: MoovOperationName, call: () => Promise<T>, onAnswer: (err: MoovError) => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof MoovError)) throw err;
    if (err.status !== undefined && answeringStatuses(operation).includes(err.status)) return onAnswer(err);
    throw toApplicationFailure(err);
  }
}

/** A refusal of our own, before any call to Moov. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidInput, message, nonRetryable: true });
}

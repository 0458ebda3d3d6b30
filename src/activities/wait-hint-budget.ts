import { ApplicationFailure, type Info } from '@temporalio/activity';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { FailureType } from '../domain/failure-types';

/** What the workflow needs to wait out the hint itself (see src/workflows/activity-proxies.ts). */
export interface WaitHintBeyondBudgetDetails {
  operation: string;
  /** Moov's wait hint, as the retry delay it would have been. */
  waitMs: number;
  /** What was left of the step's schedule-to-close budget when Moov answered. */
  budgetLeftMs: number;
  status?: number;
  requestId?: string;
}

/**
 * Temporal fails an activity at once when its next retry delay would pass the schedule-to-close
 * timeout (docs.temporal.io/encyclopedia/retry-policies), so a 429 asking for longer than the
 * step has left (Retry-After: 7200 against the 1-hour stepRetryTimeout) would end the step after
 * one call. Such a failure becomes WaitHintBeyondBudget instead: the workflow waits the hint out
 * with a durable timer, then calls again. A hint that fits the budget stays a retry delay.
 */
export function waitHintBudgetInterceptor(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const attemptStartedAt = Date.now();
        try {
          return await next(input);
        } catch (err) {
          throw beyondBudget(err, ctx.info, Date.now() - attemptStartedAt) ?? err;
        }
      },
    },
  });
}

function beyondBudget(err: unknown, info: Info, attemptMs: number): ApplicationFailure | undefined {
  if (!(err instanceof ApplicationFailure) || err.nonRetryable || err.nextRetryDelay === undefined || err.nextRetryDelay === null) return undefined;
  if (!info.scheduleToCloseTimeoutMs) return undefined;
  const waitMs = msToNumber(err.nextRetryDelay);
  // Spent so far: the server's clock up to this attempt, then ours for the attempt itself. Never
  // one clock against the other: the worker's and the server's may differ.
  const spentMs = info.currentAttemptScheduledTimestampMs - info.scheduledTimestampMs + attemptMs;
  const budgetLeftMs = info.scheduleToCloseTimeoutMs - spentMs;
  // The attempt after the wait needs its own start-to-close inside the budget too.
  if (waitMs + info.startToCloseTimeoutMs <= budgetLeftMs) return undefined;
  const moov = (err.details?.[0] ?? {}) as { status?: number; requestId?: string };
  const details: WaitHintBeyondBudgetDetails = {
    operation: info.activityType,
    waitMs,
    budgetLeftMs: Math.max(budgetLeftMs, 0),
    ...(moov.status !== undefined && { status: moov.status }),
    ...(moov.requestId !== undefined && { requestId: moov.requestId }),
  };
  return ApplicationFailure.create({
    type: FailureType.WaitHintBeyondBudget,
    nonRetryable: true,
    message: `${err.message} — longer than the ${Math.round(details.budgetLeftMs / 1000)} s left of this step's retry budget; the workflow waits it out`,
    details: [details],
  });
}

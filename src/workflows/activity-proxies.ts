import { ActivityFailure, ApplicationFailure, patched, proxyActivities, sleep, workflowInfo, type RetryPolicy } from '@temporalio/workflow';
import { STEP_LEVELS, bandedPriorityKey, urgencyOf, type StartUrgency } from '../domain/start-urgency';
import type { RemediationActivities } from '../domain/remediation-activities';
import { ACTIVITY_TIMEOUTS, ONE_REQUEST_TIMEOUTS, type ActivityTimeouts } from '../domain/activity-timeouts';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../domain/failure-types';
import { outageWaitMs } from '../domain/moov-outage';
import type { MoovOutage } from '../domain/remediation-status';
import { activitySummary } from './activity-summaries';
import { fairnessKeyOf } from './fairness-keys';
import { outageOf, outageTooLong, parkFloorMs } from './moov-outage';
import { PATCHES } from './patches';
import { formatDuration, lastApplicationFailure, retriesExhausted } from './retries-exhausted';

/**
 * Temporal is the one owner of retries: the Moov client makes one attempt, an activity maps the
 * outcome to a failure, and this policy retries 429/5xx/network failures (with the server's wait
 * hint as nextRetryDelay) until the step's schedule-to-close budget is spent.
 */

/** Every activity has its timeouts in the one table (compile error if one is missing). */
const TIMEOUTS: Record<keyof RemediationActivities, ActivityTimeouts> = ACTIVITY_TIMEOUTS;

/**
 * Task-queue priority (1 runs first, 3 is the default): the further a remediation has got, the
 * sooner its next call runs, so a backlog (a large sweep behind the queue's rate limit) finishes
 * the remediations it started, and their retries, before it starts new ones. Without it every
 * retry waits behind the whole backlog and the fleet's last remediations trail far behind
 * (docs/benchmarks.md). Servers without task-queue priority ignore it.
 */
const STEP_PRIORITY: Partial<Record<keyof RemediationActivities, number>> = {
  // Levels within a band (src/domain/start-urgency.ts): a bulk start's steps run after every interactive one's.
  planFileUploads: 5,
  uploadFile: 4,
  shareConnection: 3,
  updatePaymentLink: 2,
  createResolutionLink: 1,
  getResolutionLink: 1,
  disableResolutionLink: 1,
};

/**
 * The longest one call may take, retries and durable waits for Moov's long wait hints included.
 * A hint that would pass it fails the step, saying Moov asked for more time.
 */
export const MAX_DURABLE_HINT_WAIT_MS = 24 * 3600_000;

/** The retry policy's longest interval (below): a hint up to this long is an ordinary retry delay. */
const MAX_RETRY_INTERVAL_MS = 10_000;

/** Told when a call waits out a long wait hint, so the status can say what it waits for. */
export type OnDurableWait = (wait: { operation: string; waitMs: number; until: Date } | undefined) => void;

/** Told when call number `call` parks for a Moov outage (each time it waits again) and when it is over (undefined). */
export type OnOutage = (call: number, outage: Omit<MoovOutage, 'parkedCalls'> | undefined) => void;

/** A call parked for a Moov outage waits at most this long in all by default (maxOutageWait, src/workflows/options.ts). */
const DEFAULT_MAX_OUTAGE_WAIT_MS = 24 * 3600_000;

export interface ActivityProxyOptions {
  onDurableWait?: OnDurableWait;
  onOutage?: OnOutage;
  /** How long one call may stay parked for a Moov outage before it fails with MoovOutageTooLong. */
  maxOutageWaitMs?: number;
  /** Wait out long wait hints durably (remediations); false: fail the step (sweeps, which a Schedule repeats). */
  durableWaitHints?: boolean;
  /** Whose band the calls run in; default: the workflow's own (its start's priority). */
  urgency?: StartUrgency;
}

export function remediationActivities(
  stepRetryTimeoutMs: number,
  { onDurableWait, onOutage, maxOutageWaitMs = DEFAULT_MAX_OUTAGE_WAIT_MS, durableWaitHints = true, urgency = urgencyOf(workflowInfo().priority) }: ActivityProxyOptions = {},
): RemediationActivities {
  const retry: RetryPolicy = {
    // The backoff of Moov's own SDK (500 ms, ×1.5), capped at 10 s: every 429 counts as an attempt
    // too, so a longer schedule left a step that had waited out a few rate-limit hints sitting up to
    // a minute after its next 5xx (the benchmark's long tail). Moov's load does not depend on it:
    // the task queue's per-account rate (the fairness key below) caps each account's retries either way.
    initialInterval: '500 milliseconds',
    backoffCoefficient: 1.5,
    maximumInterval: MAX_RETRY_INTERVAL_MS,
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
  };
  // One proxy per call: its summary says what this call is for (user metadata, not compared on
  // replay), and its fairness key which Moov account it spends (src/workflows/fairness-keys.ts), so
  // the server paces each account at its own rate. Priority is activity options, not a command
  // attribute replay compares (docs/deploying.md).
  // A parked call's next attempt is one probe (maximumAttempts 1): Moov is known to be down, and
  // the parking's own waits space the attempts.
  const proxyFor = (name: keyof RemediationActivities, input: unknown, probe: boolean): RemediationActivities => {
    const stepLevel = STEP_PRIORITY[name];
    const priorityKey = stepLevel !== undefined ? bandedPriorityKey(stepLevel, urgency) : urgency === 'bulk' ? bandedPriorityKey(STEP_LEVELS, urgency) : undefined;
    return proxyActivities<RemediationActivities>({
      ...activityTimeouts(TIMEOUTS[name]),
      scheduleToCloseTimeout: stepRetryTimeoutMs,
      retry: probe ? { ...retry, maximumAttempts: 1 } : retry,
      priority: { ...(priorityKey !== undefined && { priorityKey }), fairnessKey: fairnessKeyOf(name, input) },
      summary: activitySummary(name, input),
    });
  };
  let calls = 0;
  // proxyActivities returns a Proxy with no own keys, so the options are chosen by name, not spread.
  // Each call's spent retry budget becomes one clear failure (see retries-exhausted.ts); a wait
  // hint longer than the budget had left is waited out here, durably, and the call made again.
  // A call that finds Moov down parks the same way, a few minutes at a time (./moov-outage.ts).
  return new Proxy({} as RemediationActivities, {
    get: (_target, name) => {
      const activity = name as keyof RemediationActivities;
      return async (...args: unknown[]) => {
        // Since when the call counts against MAX_DURABLE_HINT_WAIT_MS: time parked for an outage does not.
        let calledAt = Date.now();
        const callNumber = ++calls;
        let parked: { since: number; parks: number } | undefined;
        // After a wait the call is one probe; a probe that Moov answered with another retryable
        // failure (a 429) goes on under the full policy, still counted from the outage's start.
        let probe = false;
        const unpark = () => {
          if (parked) onOutage?.(callNumber, undefined);
          parked = undefined;
        };
        for (;;) {
          const call = proxyFor(activity, args[0], probe)[activity] as (...args: unknown[]) => Promise<unknown>;
          try {
            const result = await call(...args);
            unpark();
            return result;
          } catch (err) {
            const down = outageOf(err, probe);
            if (down && patched(PATCHES.outageParks)) {
              parked ??= { since: Date.now(), parks: 0 };
              parked.parks += 1;
              const waitMs = outageWaitMs(parked.parks, parkFloorMs(activity), Math.random);
              const outage = {
                operation: activity,
                since: new Date(parked.since).toISOString(),
                nextAttemptAt: new Date(Date.now() + waitMs).toISOString(),
                parks: parked.parks - 1,
                lastError: down.message,
                ...(down.status !== undefined && { status: down.status }),
                ...(down.requestId !== undefined && { requestId: down.requestId }),
                giveUpAt: new Date(parked.since + maxOutageWaitMs).toISOString(),
              };
              onOutage?.(callNumber, outage);
              // The status keeps the outage it gave up on, as of this last attempt: the final status says what happened.
              if (Date.now() + waitMs - parked.since > maxOutageWaitMs) throw outageTooLong(outage, maxOutageWaitMs);
              await sleep(waitMs, { summary: `Moov unavailable since ${outage.since}: ${activity} again in ${formatDuration(Math.round(waitMs / 1000) * 1000)}` });
              probe = true;
              continue;
            }
            // The probe reached Moov and it answered something else worth retrying (a 429): the call
            // goes on under the full policy, which honours the answer's wait hint from its next attempt.
            if (probe && err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' && err.cause instanceof ApplicationFailure) {
              probe = false;
              calledAt = Date.now();
              continue;
            }
            unpark();
            const hint = durableWaitHints ? longWaitHint(err) : undefined;
            if (!hint || !patched(PATCHES.durableWaitHint)) throw retriesExhausted(err, stepRetryTimeoutMs) ?? err;
            // The whole call counts, retries included: a stream of hints cannot keep a step alive for ever.
            if (Date.now() + hint.waitMs - calledAt > MAX_DURABLE_HINT_WAIT_MS) throw moreTimeThanAllowed(hint, Date.now() - calledAt);
            onDurableWait?.({ operation: hint.operation, waitMs: hint.waitMs, until: new Date(Date.now() + hint.waitMs) });
            await sleep(hint.waitMs, { summary: `Moov asked to wait ${formatDuration(hint.waitMs)} before ${hint.operation}` });
            onDurableWait?.(undefined);
          }
        }
      };
    },
  });
}

/** Moov's answer that ended a step's retries: a 429 whose wait hint outlasted the step's budget. */
interface LongWaitHint {
  operation: string;
  waitMs: number;
  status?: number;
  requestId?: string;
}

/**
 * Temporal ends an activity's retries (retry state TIMEOUT) when its next retry delay would pass
 * the schedule-to-close timeout (docs.temporal.io/encyclopedia/retry-policies), so a 429 asking
 * for longer than the step had left (Retry-After: 7200 against the 1-hour stepRetryTimeout) ends
 * the step after one call. That is Moov asking for time, not the step failing: it becomes a
 * durable wait. A hint no longer than the policy's longest interval means the budget was spent
 * retrying, and the step fails as before.
 */
function longWaitHint(err: unknown): LongWaitHint | undefined {
  if (!(err instanceof ActivityFailure) || err.retryState !== 'TIMEOUT') return undefined;
  const last = lastApplicationFailure(err.cause);
  if (last?.type !== FailureType.RateLimited) return undefined;
  const moov = (last.details?.[0] ?? {}) as { retryAfterMs?: number; status?: number; requestId?: string };
  if (moov.retryAfterMs === undefined || moov.retryAfterMs <= MAX_RETRY_INTERVAL_MS) return undefined;
  return {
    operation: err.activityType,
    waitMs: moov.retryAfterMs,
    ...(moov.status !== undefined && { status: moov.status }),
    ...(moov.requestId !== undefined && { requestId: moov.requestId }),
  };
}

function moreTimeThanAllowed(hint: LongWaitHint, spentMs: number): ApplicationFailure {
  const spent = spentMs > 0 ? ` after ${formatDuration(Math.round(spentMs / 1000) * 1000)} on this call` : '';
  return ApplicationFailure.create({
    type: FailureType.RetriesExhausted,
    nonRetryable: true,
    message:
      `${hint.operation}: gave up — Moov asked to wait ${formatDuration(hint.waitMs)} before the next attempt${spent}, ` +
      `more time than the ${formatDuration(MAX_DURABLE_HINT_WAIT_MS)} a remediation gives one call to Moov's rate limit. ` +
      `Start the remediation again later (request id ${hint.requestId ?? 'none'}).`,
    details: [
      {
        operation: hint.operation,
        ...(hint.status !== undefined && { status: hint.status }),
        ...(hint.requestId !== undefined && { requestId: hint.requestId }),
        lastFailureType: FailureType.RateLimited,
        retryState: 'TIMEOUT',
        waitMs: hint.waitMs,
      },
    ],
  });
}

/** Derived from the HTTP timeouts in src/domain/activity-timeouts.ts, so the two cannot drift apart. */
function activityTimeouts(timeouts: ActivityTimeouts | undefined): { startToCloseTimeout: number; heartbeatTimeout?: number } {
  const { startToCloseTimeoutMs, heartbeatTimeoutMs } = timeouts ?? ONE_REQUEST_TIMEOUTS;
  return { startToCloseTimeout: startToCloseTimeoutMs, ...(heartbeatTimeoutMs !== undefined && { heartbeatTimeout: heartbeatTimeoutMs }) };
}

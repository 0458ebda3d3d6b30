import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { RequirementSelection } from '../domain/open-requirements';
import type { RemediationOptions } from '../domain/remediation-input';

/** Timing of a remediation, resolved to milliseconds with the documented defaults. */
export interface ResolvedOptions {
  activeLinkPollIntervalMs: number;
  maxActiveLinkWaitMs: number;
  expiryMarginMs: number;
  uploadConcurrency: number;
  /** How long one Moov call may keep being retried (429/5xx) before the step fails. */
  stepRetryTimeoutMs: number;
  /** How long a call may wait for Moov to come back from an outage before the remediation fails (MoovOutageTooLong). */
  maxOutageWaitMs: number;
  followThrough: boolean;
  followThroughPollIntervalMs: number;
  maxFollowThroughMs: number;
  maxFreshLinks: number;
  /** Which open requirements must be gone for follow-through to end resolved. */
  select: RequirementSelection;
}

export const DEFAULT_OPTIONS = {
  activeLinkPollInterval: '6 hours',
  maxActiveLinkWait: '35 days',
  expiryMargin: '5 minutes',
  uploadConcurrency: 3,
  stepRetryTimeout: '1 hour',
  // A day of Moov incident parks about 290 times (5-minute waits): some 2,600 history events.
  maxOutageWait: '24 hours',
  followThrough: true,
  // A safety net: Moov's webhooks wake follow-through within seconds (docs/operations.md, Webhooks).
  followThroughPollInterval: '24 hours',
  maxFollowThrough: '90 days',
  maxFreshLinks: 2,
} as const;

/** Runs started before PATCHES.pollIsSafetyNet keep the poll they were started with. */
export const FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS = '6 hours';

function ms(value: string | number | undefined, fallback: Duration): number {
  return msToNumber((value ?? fallback) as Duration);
}

/**
 * Follow-through looks at Moov at most once a minute, whatever the input asks: a tighter poll
 * only spends Moov's rate limit and history (docs.moov.io/api/rate-limits).
 */
export const MIN_FOLLOW_THROUGH_POLL_INTERVAL_MS = 60_000;

/**
 * The wait for another party's link re-checks it at most hourly (sooner only at its expiry):
 * a 35-day wait then stays under 10,000 history events, with no continue-as-new inside it.
 */
export const MIN_ACTIVE_LINK_POLL_INTERVAL_MS = 3_600_000;

export function resolveOptions(
  options: RemediationOptions | undefined,
  followThroughPollDefault: Duration = DEFAULT_OPTIONS.followThroughPollInterval,
): ResolvedOptions {
  return {
    activeLinkPollIntervalMs: Math.max(ms(options?.activeLinkPollInterval, DEFAULT_OPTIONS.activeLinkPollInterval), MIN_ACTIVE_LINK_POLL_INTERVAL_MS),
    maxActiveLinkWaitMs: ms(options?.maxActiveLinkWait, DEFAULT_OPTIONS.maxActiveLinkWait),
    expiryMarginMs: ms(options?.expiryMargin, DEFAULT_OPTIONS.expiryMargin),
    uploadConcurrency: options?.uploadConcurrency ?? DEFAULT_OPTIONS.uploadConcurrency,
    stepRetryTimeoutMs: ms(options?.stepRetryTimeout, DEFAULT_OPTIONS.stepRetryTimeout),
    maxOutageWaitMs: ms(options?.maxOutageWait, DEFAULT_OPTIONS.maxOutageWait),
    followThrough: options?.followThrough ?? DEFAULT_OPTIONS.followThrough,
    followThroughPollIntervalMs: Math.max(ms(options?.followThroughPollInterval, followThroughPollDefault), MIN_FOLLOW_THROUGH_POLL_INTERVAL_MS),
    maxFollowThroughMs: ms(options?.maxFollowThrough, DEFAULT_OPTIONS.maxFollowThrough),
    maxFreshLinks: options?.maxFreshLinks ?? DEFAULT_OPTIONS.maxFreshLinks,
    select: options?.select ?? {},
  };
}

import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { RemediationOptions } from '../domain/remediation-input';

/** Timing of a remediation, resolved to milliseconds with the documented defaults. */
export interface ResolvedOptions {
  activeLinkPollIntervalMs: number;
  maxActiveLinkWaitMs: number;
  expiryMarginMs: number;
  uploadConcurrency: number;
  /** How long one Moov call may keep being retried (429/5xx) before the step fails. */
  stepRetryTimeoutMs: number;
}

export const DEFAULT_OPTIONS = {
  activeLinkPollInterval: '6 hours',
  maxActiveLinkWait: '35 days',
  expiryMargin: '5 minutes',
  uploadConcurrency: 3,
  stepRetryTimeout: '1 hour',
} as const;

export function resolveOptions(options: RemediationOptions | undefined): ResolvedOptions {
  return {
    activeLinkPollIntervalMs: msToNumber((options?.activeLinkPollInterval ?? DEFAULT_OPTIONS.activeLinkPollInterval) as Duration),
    maxActiveLinkWaitMs: msToNumber((options?.maxActiveLinkWait ?? DEFAULT_OPTIONS.maxActiveLinkWait) as Duration),
    expiryMarginMs: msToNumber((options?.expiryMargin ?? DEFAULT_OPTIONS.expiryMargin) as Duration),
    uploadConcurrency: options?.uploadConcurrency ?? DEFAULT_OPTIONS.uploadConcurrency,
    stepRetryTimeoutMs: msToNumber((options?.stepRetryTimeout ?? DEFAULT_OPTIONS.stepRetryTimeout) as Duration),
  };
}

import { z } from 'zod';
import { shareConnectionSchema } from './moov-requests/connections';
import { requirementSelectionSchema } from './open-requirements';
import { durationSchema, remediationOptionsSchema } from './remediation-input';
import { formatIssues, lazySchema } from './validation';

/**
 * A remediation sweep: which connected accounts to look at, which to select, and what each
 * selected account's remediation does. Also what a Schedule's action carries.
 */
export const sweepInputSchema = lazySchema(() =>
  z.strictObject({
    /** Passed to GET /accounts to narrow the scan server-side. */
    filters: z
      .strictObject({ capability: z.string().min(1).optional(), capabilityStatus: z.string().min(1).optional() })
      .optional(),
    /** Which open requirements select an account (both by default). */
    select: requirementSelectionSchema.optional(),
    remediation: z
      .strictObject({
        /** Send the merchant a resolution link (to the profile's email, else phone). Default true. */
        sendResolutionLink: z.boolean().optional(),
        /** `"auto"`: upload the platform's catalog documents that satisfy the account's open requirements (docs/remediation.md). */
        files: z.literal('auto', { error: 'must be "auto" (a sweep names no files)' }).optional(),
        connection: shareConnectionSchema.optional(),
        options: remediationOptionsSchema.optional(),
      })
      .optional(),
    pageSize: z.number().int().min(1).max(500).optional(),
    concurrency: z.number().int().min(1).max(50).optional(),
    /** Pages handled per run before continue-as-new keeps history small. */
    pagesPerRun: z.number().int().min(1).max(100).optional(),
    dryRun: z.boolean().optional(),
    /** Stop once this many remediations were started (a sweep's whole continue-as-new chain); default no bound. */
    maxStartsPerRun: z.number({ error: 'must be a whole number of at least 1' }).int('must be a whole number of at least 1').min(1, 'must be a whole number of at least 1').optional(),
    /** An account whose last remediation closed less than this ago is skipped (default 7 days). */
    closedCooldown: durationSchema.optional(),
  }),
);
export type SweepInput = z.infer<typeof sweepInputSchema>;

/**
 * What a remediation the sweep starts looks like, apart from the account: which open requirements
 * select an account (and resolve it), what its remediation does, and the cooldown after one
 * closed. An account event's triage (src/workflows/account-event-triage.ts) decides with the same.
 */
export const remediationTemplateSchema = lazySchema(() => sweepInputSchema.unwrap().pick({ select: true, remediation: true, closedCooldown: true }));
export type RemediationTemplate = z.infer<typeof remediationTemplateSchema>;

/** The template part of a sweep's input (a Schedule's action carries a whole sweep input). */
export function remediationTemplateOf(input: SweepInput): RemediationTemplate {
  return {
    ...(input.select && { select: input.select }),
    ...(input.remediation && { remediation: input.remediation }),
    ...(input.closedCooldown !== undefined && { closedCooldown: input.closedCooldown }),
  };
}

/**
 * Why an account was not remediated: nothing open; no way to reach the merchant; Moov refused to
 * show the account's capabilities (403/404: the sweep goes on); a remediation closed within the
 * cooldown (a new one would send the merchant another link).
 */
export type SkipReason = 'no-open-requirements' | 'no-contact' | 'invalid-contact' | 'refused' | 'recently-closed';

export interface SweepTotals {
  scanned: number;
  selected: number;
  started: number;
  alreadyRunning: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/** What a dry run would have started; capped so a large sweep's result stays small. */
export interface SweepCandidate {
  accountID: string;
  reasons: string[];
}

export interface SweepSummary extends SweepTotals {
  dryRun: boolean;
  /** Set when the sweep ended before the end of the list: `max-starts` (maxStartsPerRun reached). */
  stoppedAt?: 'max-starts';
  pages: number;
  runs: number;
  wouldStart?: SweepCandidate[];
}

/** State carried from one run of a sweep to the next across continue-as-new. */
export interface SweepCursor {
  skip: number;
  pages: number;
  runs: number;
  totals: SweepTotals;
  wouldStart: SweepCandidate[];
}

export const MAX_LISTED_CANDIDATES = 1000;

export const DEFAULT_CLOSED_COOLDOWN = '7 days';

export function parseSweepInput(raw: unknown): { ok: true; input: SweepInput } | { ok: false; message: string } {
  const result = sweepInputSchema.safeParse(raw ?? {});
  return result.success ? { ok: true, input: result.data } : { ok: false, message: `Invalid sweep input: ${formatIssues(result.error)}` };
}

export const SWEEP_WORKFLOW_ID_PREFIX = 'remediation-sweep';

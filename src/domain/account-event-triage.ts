import { z } from 'zod';
import { accountIDSchema } from './remediation-input';
import { remediationTemplateSchema, type SkipReason } from './sweep-input';
import { formatIssues, lazySchema } from './validation';

/**
 * The input of `accountEventTriage` (src/workflows/account-event-triage.ts): the account a Moov
 * webhook named, the sweep's remediation template, and the event that asked (for the audit trail
 * in history). Checked by the workflow like every other input (a start from the Temporal UI may
 * carry any JSON).
 */
export const accountEventTriageInputSchema = lazySchema(() =>
  z.strictObject({
    accountID: accountIDSchema,
    template: remediationTemplateSchema.optional(),
    event: z
      .strictObject({
        eventID: z.string().min(1).max(200),
        type: z.string().min(1).max(100),
        createdOn: z.string().max(100).optional(),
      })
      .optional(),
  }),
);
export type AccountEventTriageInput = z.input<typeof accountEventTriageInputSchema>;
export type ValidAccountEventTriageInput = z.infer<typeof accountEventTriageInputSchema>;

export function parseAccountEventTriageInput(raw: unknown): { ok: true; input: ValidAccountEventTriageInput } | { ok: false; message: string } {
  const result = accountEventTriageInputSchema.safeParse(raw);
  return result.success ? { ok: true, input: result.data } : { ok: false, message: `Invalid account event triage input: ${formatIssues(result.error)}` };
}

/**
 * What the triage decided, the sweep's reasons included: a remediation started (with the open
 * requirements that selected the account), one already running, or nothing to do and why.
 */
export type AccountEventTriageResult =
  | { outcome: 'started'; workflowId: string; reasons: string[] }
  | { outcome: 'already-running'; workflowId: string }
  | { outcome: 'skipped'; reason: SkipReason };

import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { shareConnectionSchema } from './moov-requests/connections';
import { fileMetadataSchema, filePurposeSchema, MAX_FILE_NAME_LENGTH, MAX_FILES_PER_ACCOUNT } from './moov-requests/files';
import { updatePaymentLinkSchema } from './moov-requests/payment-links';
import { resolutionLinkRecipientSchema } from './moov-requests/resolution-links';
import { requirementSelectionSchema } from './open-requirements';
import { formatIssues, pathParam } from './validation';

/**
 * The remediation's input, checked by the client before it starts a workflow and again by the
 * workflow itself (operators can start one from the Temporal UI with any JSON). The Moov request
 * limits come from ./moov-requests, which the wire layer (src/moov) imports too, so there is one
 * definition of each and none of the wire layer is bundled into the workflow.
 */

/** Moov account IDs are UUIDs or typed base32 IDs (`…_xfer`); either fits this. */
export const accountIDSchema = pathParam.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Moov account ID (letters, digits, - and _; at most 64)'));

/** A path below FILES_ROOT. The activity re-checks against the real filesystem (symlinks). */
const relativeFilePath = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty', abort: true })
  .refine((p) => !p.includes('\0'), 'must not contain NUL bytes')
  .refine((p) => !/^([/\\]|[A-Za-z]:)/.test(p), 'must be relative to FILES_ROOT, not absolute')
  .refine((p) => !p.split(/[/\\]/).includes('..'), "must not contain '..' (files are read only from inside FILES_ROOT)");

/** 'a/./b.pdf', 'a//b.pdf' and 'a/b.pdf' name one file ('..' is refused above). Workflow-safe: no node:path. */
export function normalizeRelativePath(p: string): string {
  return p
    .split(/[/\\]+/)
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

export const fileToUploadSchema = z.strictObject({
  path: relativeFilePath,
  fileName: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_FILE_NAME_LENGTH, `must be at most ${MAX_FILE_NAME_LENGTH} characters (Moov limit)`)
    .regex(/^[^/\\]+$/, 'must be a file name, not a path')
    .optional(),
  filePurpose: filePurposeSchema,
  metadata: fileMetadataSchema.optional(),
});
export type FileToUpload = z.infer<typeof fileToUploadSchema>;

export const durationSchema = z
  .union([z.number().int().positive(), z.string().min(1)], { error: "must be a duration such as '6h', '35 days' or milliseconds" })
  .refine((value) => {
    try {
      return msToNumber(value as never) > 0;
    } catch {
      return false;
    }
  }, "must be a positive duration such as '6h', '35 days' or milliseconds");

export const remediationOptionsSchema = z.strictObject({
  activeLinkPollInterval: durationSchema.optional(),
  maxActiveLinkWait: durationSchema.optional(),
  expiryMargin: durationSchema.optional(),
  stepRetryTimeout: durationSchema.optional(),
  /** How long one call may wait for Moov to come back from an outage (default 24 hours). */
  maxOutageWait: durationSchema.optional(),
  uploadConcurrency: z.number({ error: 'must be a whole number from 1 to 10' }).int('must be a whole number from 1 to 10').min(1, 'must be 1–10').max(10, 'must be 1–10').optional(),
  /** Keep watching Moov after the steps until the requirements clear (default true). */
  followThrough: z.boolean().optional(),
  followThroughPollInterval: durationSchema.optional(),
  /** How long follow-through may watch before ending `unresolved` (default 90 days). */
  maxFollowThrough: durationSchema.optional(),
  /** Fresh links sent when the merchant's link expires or is disabled with requirements left (default 2). */
  maxFreshLinks: z.number().int().min(0).max(10, 'must be at most 10').optional(),
  /** Which open requirements must be gone for follow-through to end `resolved` (default: errors and due items). */
  select: requirementSelectionSchema.optional(),
});
export type RemediationOptions = z.infer<typeof remediationOptionsSchema>;

/**
 * The work a remediation does for its account: what the input carries, and what the addWork
 * update adds to a running remediation (the onboarding backend's later documents, a link, …).
 */
/**
 * `"auto"`: the platform's documents that satisfy the account's open requirements, from its
 * catalog (src/domain/document-catalog.ts), chosen after reading Moov when the remediation runs.
 */
export const AUTO_FILES = 'auto';
const listedFilesSchema = z.array(fileToUploadSchema).max(MAX_FILES_PER_ACCOUNT, `at most ${MAX_FILES_PER_ACCOUNT} files (Moov keeps at most ${MAX_FILES_PER_ACCOUNT} per account)`);

/**
 * The files a caller names, or `"auto"` (a string is never a list, so every old input parses as
 * before). Not a z.union: a union reports only its own message, and a bad file must still be
 * named by its index and field (`files.1.filePurpose: …`).
 */
const filesSchema = z.unknown().transform((value, ctx): typeof AUTO_FILES | FileToUpload[] => {
  if (value === AUTO_FILES) return AUTO_FILES;
  const listed = listedFilesSchema.safeParse(value);
  if (listed.success) return listed.data;
  for (const issue of listed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
}) as unknown as z.ZodType<typeof AUTO_FILES | FileToUpload[], typeof AUTO_FILES | z.input<typeof listedFilesSchema>>;

/** The listed files of `files`, none for "auto". */
export function listedFiles(files: FileToUpload[] | typeof AUTO_FILES | undefined): FileToUpload[] {
  return Array.isArray(files) ? files : [];
}

const remediationWorkShape = {
  files: filesSchema.optional(),
  resolutionLink: z.strictObject({ recipient: resolutionLinkRecipientSchema }).optional(),
  connection: shareConnectionSchema.optional(),
  paymentLinks: z.array(z.strictObject({ code: pathParam, update: updatePaymentLinkSchema })).optional(),
};

/** The file's identity inside a remediation: 'a.pdf' and './a.pdf' with one purpose are one file. */
export function fileIdentity(file: Pick<FileToUpload, 'path' | 'filePurpose'>): string {
  return `${file.filePurpose}:${normalizeRelativePath(file.path)}`;
}

/** The checks one piece of work needs besides its fields' own, for the account it is for. */
function checkWork(work: RemediationWork, accountID: string | undefined, ctx: z.RefinementCtx): void {
  if (work.files !== AUTO_FILES && !work.files?.length && !work.resolutionLink && !work.connection && !work.paymentLinks?.length) {
    ctx.addIssue({ code: 'custom', message: 'nothing to do: give files, resolutionLink, connection or paymentLinks' });
  }
  // Keyed on the normalised path: 'a.pdf' and './a.pdf' are one file, which would otherwise be
  // uploaded twice (the uploads run in parallel, so neither finds the other at Moov).
  const seenFiles = new Map<string, number>();
  listedFiles(work.files).forEach((file, index) => {
    const key = fileIdentity(file);
    const first = seenFiles.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['files', index], message: `is the same file and purpose as files.${first}` });
    else seenFiles.set(key, index);
  });
  if (work.connection && accountID !== undefined && work.connection.principalAccountID === accountID) {
    ctx.addIssue({
      code: 'custom',
      path: ['connection', 'principalAccountID'],
      message: 'must be another account than accountID (an account cannot share a connection with itself)',
    });
  }
  const seenCodes = new Set<string>();
  work.paymentLinks?.forEach((link, index) => {
    if (seenCodes.has(link.code)) ctx.addIssue({ code: 'custom', path: ['paymentLinks', index, 'code'], message: 'is listed twice' });
    seenCodes.add(link.code);
  });
}

const remediationWorkSchema = z.strictObject(remediationWorkShape);
export type RemediationWork = z.infer<typeof remediationWorkSchema>;

export const remediationInputSchema = z
  .strictObject({ accountID: accountIDSchema, ...remediationWorkShape, options: remediationOptionsSchema.optional() })
  .superRefine((input, ctx) => checkWork(input, input.accountID, ctx));

export type RemediationInput = z.input<typeof remediationInputSchema>;
export type ValidRemediationInput = z.infer<typeof remediationInputSchema>;
export type Recipient = z.infer<typeof resolutionLinkRecipientSchema>;
export type ShareConnectionInput = z.infer<typeof shareConnectionSchema>;
export type PaymentLinkUpdate = z.infer<typeof updatePaymentLinkSchema>;

export type ParsedInput = { ok: true; input: ValidRemediationInput } | { ok: false; message: string };

export function parseRemediationInput(raw: unknown): ParsedInput {
  const result = remediationInputSchema.safeParse(raw);
  return result.success
    ? { ok: true, input: result.data }
    : { ok: false, message: `Invalid remediation input: ${formatIssues(result.error)}` };
}

export type ParsedWork = { ok: true; work: RemediationWork } | { ok: false; message: string };

/** Work to add to the running remediation of `accountID` (the addWork update's request). */
export function parseRemediationWork(raw: unknown, accountID: string): ParsedWork {
  const result = remediationWorkSchema.superRefine((work, ctx) => checkWork(work, accountID, ctx)).safeParse(raw);
  return result.success ? { ok: true, work: result.data } : { ok: false, message: `Invalid work to add: ${formatIssues(result.error)}` };
}

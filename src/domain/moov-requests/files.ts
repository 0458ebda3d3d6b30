import { z } from 'zod';

/**
 * What Moov accepts in an upload besides the bytes (docs.moov.io/api/moov-accounts/files/, "Upload file").
 * The remediation input checks these before a workflow starts and again inside it; the wire
 * layer (src/moov) imports them, so each limit has one definition, inside the workflow bundle's
 * own code.
 */

export const FILE_PURPOSES = [
  'identity_verification',
  'business_verification',
  'representative_verification',
  'individual_verification',
  'merchant_underwriting',
  'account_requirement',
] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export const MAX_FILE_NAME_LENGTH = 64;
/** Moov's documented upload limit (docs.moov.io/api/moov-accounts/files/, "Upload file"): 10 MB, taken as binary megabytes. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Moov keeps at most 50 files per account. */
export const MAX_FILES_PER_ACCOUNT = 50;

export const filePurposeSchema = z.enum(FILE_PURPOSES, { error: `must be one of ${FILE_PURPOSES.join(', ')}` });

export const FILE_METADATA_KEYS = ['representative_id', 'comment', 'requirement_id', 'error_code'] as const;

/** Moov accepts exactly these metadata keys (docs.moov.io/api/moov-accounts/files/, "Upload file"); anything else is a caller mistake. */
export const fileMetadataSchema = z.strictObject(
  {
    representative_id: z.string().optional(),
    comment: z.string().optional(),
    requirement_id: z.string().optional(),
    error_code: z.string().optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((key) => `"${key}"`).join(', ')} (Moov accepts only ${FILE_METADATA_KEYS.join(', ')})`
        : undefined,
  },
);
export type FileMetadata = z.infer<typeof fileMetadataSchema>;

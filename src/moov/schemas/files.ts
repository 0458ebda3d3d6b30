import { z } from 'zod';
import { listOf, openEnum, str, timestamp } from './common';

export const FILE_PURPOSES = [
  'identity_verification',
  'business_verification',
  'representative_verification',
  'individual_verification',
  'merchant_underwriting',
  'account_requirement',
] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export const FILE_STATUSES = ['pending', 'approved', 'rejected'] as const;

export const filePurposeSchema = z.enum(FILE_PURPOSES, { error: `must be one of ${FILE_PURPOSES.join(', ')}` });

export const FILE_METADATA_KEYS = ['representative_id', 'comment', 'requirement_id', 'error_code'] as const;

/** Moov accepts exactly these metadata keys (seed 002); anything else is a caller mistake. */
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

/** The upload arguments other than the file itself (file-source.ts checks path/name/content). */
export const uploadFileRequestSchema = z.strictObject({
  filePath: str().min(1, 'must not be empty'),
  fileName: str().optional(),
  filePurpose: filePurposeSchema,
  metadata: fileMetadataSchema.optional(),
});
export type UploadFileRequest = z.infer<typeof uploadFileRequestSchema>;

export const fileDetailsSchema = z.looseObject({
  fileID: z.string(),
  fileName: z.string(),
  accountID: z.string(),
  filePurpose: openEnum(FILE_PURPOSES),
  fileStatus: openEnum(FILE_STATUSES),
  /** A JSON string, exactly as uploaded; Moov does not promise it parses. */
  metadata: z.string().optional(),
  decisionReason: z.string().optional(),
  fileSizeBytes: z.number().int().nonnegative(),
  createdOn: timestamp,
  updatedOn: timestamp,
});
export type FileDetails = z.infer<typeof fileDetailsSchema>;

export const fileListSchema = listOf(fileDetailsSchema);

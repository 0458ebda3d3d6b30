import { z } from 'zod';
import { FILE_PURPOSES, fileMetadataSchema, filePurposeSchema } from '../../domain/moov-requests/files';
import { listOf, openEnum, str, timestamp } from './common';

// The upload's purposes, metadata keys and limits live in src/domain, where the workflow's input checks them.
export { FILE_METADATA_KEYS, FILE_PURPOSES, fileMetadataSchema, filePurposeSchema } from '../../domain/moov-requests/files';
export type { FileMetadata, FilePurpose } from '../../domain/moov-requests/files';

export const FILE_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** The upload arguments other than the file itself (file-source.ts checks path/name/content). */
export const uploadFileRequestSchema = z.strictObject({
  filePath: str().min(1, 'must not be empty'),
  fileName: str().optional(),
  filePurpose: filePurposeSchema,
  metadata: fileMetadataSchema.optional(),
});
export type UploadFileRequest = z.infer<typeof uploadFileRequestSchema>;

/** The upload arguments when the bytes come as a stream (multipart-body.ts); the file part is checked apart. */
export const uploadStreamedFileRequestSchema = z.strictObject({
  filePurpose: filePurposeSchema,
  metadata: fileMetadataSchema.optional(),
});
export type UploadStreamedFileRequest = z.infer<typeof uploadStreamedFileRequestSchema>;

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

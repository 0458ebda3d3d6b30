import type { FileToUpload } from '../../domain/remediation-input';
import type { StreamedFilePart } from '../../moov';

/**
 * Where the documents a remediation uploads are kept: the worker's FILES_ROOT (./local-folder.ts,
 * the embedded default) or S3-compatible object storage (./s3-bucket.ts, DOCUMENTS_URL=s3://…).
 * Either way the input names a document by its path relative to the account's own folder or
 * prefix, and only that reference (with the pin below) enters workflow history, never the bytes.
 */
export interface InspectedDocument {
  fileName: string;
  sizeBytes: number;
  /** SHA-256 of the bytes (hex): the upload's identity at Moov (src/moov/file-content-hash.ts). */
  sha256: string;
  /**
   * Which stored version was inspected, for a source whose objects can change under one name
   * (S3: the object's version ID, else its ETag). The upload reads that version or fails.
   */
  version?: string;
}

/** What the upload sends: a file on the worker's disk (read by the Moov client itself) or a stream. */
export type UploadBody = { kind: 'path'; filePath: string; fileName: string } | { kind: 'stream'; part: StreamedFilePart };

export interface DocumentSource {
  /** `local` or `s3`, for logs and messages. */
  readonly kind: 'local' | 's3';
  /**
   * Every check Moov would make on the file itself (the account's scope, size, type confirmed by
   * the bytes, name), done before any Moov call, and the content hash. Refusals are
   * InvalidInput ApplicationFailures naming the input's path, never the worker's real location.
   */
  inspect(accountID: string, file: FileToUpload): Promise<InspectedDocument>;
  /** The bytes inspected, to upload; a document that changed since is refused, never sent. */
  open(accountID: string, file: FileToUpload, inspected: InspectedDocument): Promise<UploadBody>;
  /**
   * A document the plan inspected, checked again without reading its bytes when the store can tell
   * that they are unchanged (S3: a HEAD showing the same version or ETag); undefined when it cannot,
   * and the caller inspects it whole. The upload's in-stream hash still holds the bytes to the plan's.
   */
  recheck?(accountID: string, file: FileToUpload, planned: { sha256: string; version: string }): Promise<InspectedDocument | undefined>;
  /** The text of the account's catalog.json (src/domain/document-catalog.ts), or undefined when it has none. */
  readCatalog(accountID: string): Promise<string | undefined>;
}

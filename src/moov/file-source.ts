import { openAsBlob } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { MAX_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES } from '../domain/moov-requests/files';

export { MAX_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES };
const SNIFF_BYTES = 8 * 1024;

export type UploadFileType = 'pdf' | 'png' | 'jpeg' | 'csv';

export const CONTENT_TYPES: Readonly<Record<UploadFileType, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  csv: 'text/csv',
};

const EXTENSIONS: Readonly<Record<string, UploadFileType>> = {
  '.pdf': 'pdf',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.csv': 'csv',
};

const ALLOWED_EXTENSIONS = '.csv, .jpg, .jpeg, .pdf, .png';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/** Thrown before any network I/O; the client turns it into an invalid-request MoovError. */
export class FileSourceError extends Error {
  override readonly name = 'FileSourceError';
}

/**
 * Identifies the content from its first bytes. CSV has no magic number, so "text with no NUL
 * bytes" is the best available signal; it also stops a binary file renamed to .csv.
 */
export function sniffFileType(head: Uint8Array): UploadFileType | undefined {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (buf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return 'pdf';
  if (buf.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'png';
  if (buf.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'jpeg';
  if (buf.length > 0 && !buf.subarray(0, SNIFF_BYTES).includes(0)) return 'csv';
  return undefined;
}

export function fileTypeFromName(fileName: string): UploadFileType | undefined {
  return EXTENSIONS[extname(fileName).toLowerCase()];
}

export interface FileSource {
  blob: Blob;
  fileName: string;
  fileType: UploadFileType;
  contentType: string;
  sizeBytes: number;
}

/**
 * For callers whose path names a document (the worker's FILES_ROOT): the path's extension must be
 * an accepted type and agree with the file name sent, so a `.env` sent as `a.csv` is refused. The
 * client itself does not require it: a temporary file may have any name.
 */
export function assertPathAgreesWithName(filePath: string, fileName?: string): void {
  const pathName = basename(filePath);
  const name = fileName ?? pathName;
  const stored = fileTypeFromName(pathName);
  if (!stored) throw new FileSourceError(`path: extension of "${pathName}" must be one of ${ALLOWED_EXTENSIONS} (got "${extname(pathName) || 'none'}")`);
  const declared = fileTypeFromName(name);
  if (declared && declared !== stored) throw new FileSourceError(`fileName: path "${pathName}" says ${stored} but fileName "${name}" says ${declared}`);
}

/**
 * Checks everything Moov would reject (size, type, name) before a byte goes on the wire, then
 * returns a disk-backed Blob so the multipart body streams instead of being buffered whole.
 */
export async function openFileSource(filePath: string, fileName?: string): Promise<FileSource> {
  if (!filePath) throw new FileSourceError('filePath: must not be empty');
  const name = fileName ?? basename(filePath);
  if (!name) throw new FileSourceError('fileName: must not be empty');
  if (name.length > MAX_FILE_NAME_LENGTH) {
    throw new FileSourceError(`fileName: must be at most ${MAX_FILE_NAME_LENGTH} characters (got ${name.length}); pass a shorter fileName`);
  }
  if (/[/\\]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20)) throw new FileSourceError('fileName: must not contain path separators or control characters');
  const declared = fileTypeFromName(name);
  if (!declared) throw new FileSourceError(`fileName: extension must be one of ${ALLOWED_EXTENSIONS} (got "${extname(name) || 'none'}")`);

  let stats;
  try {
    stats = await stat(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileSourceError(`filePath: cannot read ${filePath} (${code ?? 'stat failed'})`);
  }
  if (!stats.isFile()) throw new FileSourceError(`filePath: ${filePath} is not a regular file`);
  if (stats.size < 1) throw new FileSourceError(`filePath: ${filePath} is empty`);
  if (stats.size > MAX_UPLOAD_BYTES) {
    throw new FileSourceError(`filePath: ${filePath} is ${stats.size} bytes; Moov accepts at most ${MAX_UPLOAD_BYTES} bytes (10 MB)`);
  }

  const head = Buffer.alloc(Math.min(SNIFF_BYTES, stats.size));
  let bytesRead = 0;
  try {
    const handle = await open(filePath, 'r');
    try {
      ({ bytesRead } = await handle.read(head, 0, head.length, 0));
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileSourceError(`filePath: cannot read ${filePath} (${code ?? 'read failed'})`);
  }
  const actual = sniffFileType(head.subarray(0, bytesRead));
  if (!actual) throw new FileSourceError(`filePath: ${filePath} is not a csv, jpeg, pdf or png file (binary content with no known signature)`);
  if (actual !== declared) {
    throw new FileSourceError(`fileName: extension of "${name}" says ${declared} but the content is ${actual}`);
  }

  const contentType = CONTENT_TYPES[actual];
  const blob = await openAsBlob(filePath, { type: contentType });
  // The file may have changed since stat(); the blob's size is what will actually be sent.
  if (blob.size < 1 || blob.size > MAX_UPLOAD_BYTES) {
    throw new FileSourceError(`filePath: ${filePath} changed size while being prepared (${blob.size} bytes)`);
  }
  return { blob, fileName: name, fileType: actual, contentType, sizeBytes: blob.size };
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileDetails, FileMetadata } from './schemas/files';

/**
 * A file's identity at Moov is its content: the SHA-256 of its bytes, carried in the file's
 * `comment` metadata (Moov accepts only representative_id, comment, requirement_id and error_code;
 * docs.moov.io/api/moov-accounts/files/upload). The caller's own comment is kept before it.
 */
const MARKER = /(?:^|\s)sha256:([0-9a-f]{64})(?=\s|$)/g;

/** Streams the file through SHA-256: the bytes are never held in memory whole. */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The metadata to upload with: the caller's, with the content hash added to its comment. */
export function withContentHash(metadata: FileMetadata | undefined, sha256: string): FileMetadata {
  const callerComment = metadata?.comment?.replace(MARKER, '').trim();
  return { ...metadata, comment: callerComment ? `${callerComment}\nsha256:${sha256}` : `sha256:${sha256}` };
}

/** The content hash a file was uploaded with, if it carries one (files uploaded by others do not). */
export function contentHashOf(file: Pick<FileDetails, 'metadata'>): string | undefined {
  const comment = parseMetadata(file.metadata)?.comment;
  if (typeof comment !== 'string') return undefined;
  const matches = [...comment.matchAll(MARKER)];
  return matches.at(-1)?.[1];
}

/** Moov returns metadata as the JSON text it was given; it does not promise that it parses. */
export function parseMetadata(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

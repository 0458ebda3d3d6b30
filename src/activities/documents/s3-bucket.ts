import { GetObjectCommand, HeadObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CATALOG_FILE_NAME, MAX_CATALOG_BYTES } from '../../domain/document-catalog';
import { FailureType } from '../../domain/failure-types';
import type { FileToUpload } from '../../domain/remediation-input';
import { CONTENT_TYPES, FileSourceError, MAX_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES, assertPathAgreesWithName, fileTypeFromName, sniffFileType, type UploadFileType } from '../../moov/file-source';
import { invalidInput } from '../moov-failure';
import type { DocumentSource, InspectedDocument, UploadBody } from './document-source';
import { accountPrefixLabel, objectKey, type S3Location } from './s3-location';

/** Enough of the head to tell PDF, PNG, JPEG and CSV apart (file-source.ts sniffs the same). */
const SNIFF_BYTES = 8 * 1024;

/** Object metadata types that say nothing about the content (S3's default, and common uploaders'). */
const GENERIC_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export interface S3BucketSourceOptions {
  /** Built with `maxAttempts: 1` (./s3-client.ts): Temporal owns retries, as it does for Moov. */
  client: S3Client;
  location: S3Location;
}

interface ObjectHead {
  key: string;
  sizeBytes: number;
  contentType: string;
  /** The version ID in a versioned bucket, else the ETag: what a later GET must match. */
  pin: { versionId: string } | { etag: string };
}

/**
 * S3-compatible object storage: the objects below `prefix/<accountID>/` (./s3-location.ts). Each
 * document is checked with a HEAD before any download (missing, empty or over Moov's 10 MB: refused
 * without a GET), then read once as a stream to confirm its type from its bytes and compute its
 * SHA-256; the upload reads the same version again (VersionId, else If-Match on the ETag) and
 * streams it to Moov, hashing on the way, so bytes that differ from the plan's never complete a
 * request. Only the key's path and the pin enter history; the bytes stay in the stream.
 */
export function s3BucketSource({ client, location }: S3BucketSourceOptions): DocumentSource {
  async function head(accountID: string, file: FileToUpload): Promise<ObjectHead> {
    const key = objectKey(location, accountID, file.path);
    let answer;
    try {
      answer = await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: key }), { abortSignal: abortSignal() });
    } catch (err) {
      throw storeFailure(err, accountID, file.path, 'HEAD');
    }
    const sizeBytes = answer.ContentLength ?? 0;
    if (sizeBytes < 1) throw invalidInput(`files: ${file.path} below ${accountPrefixLabel(accountID)} is empty`);
    if (sizeBytes > MAX_UPLOAD_BYTES) {
      throw invalidInput(`files: ${file.path} is ${sizeBytes} bytes; Moov accepts at most ${MAX_UPLOAD_BYTES} bytes (10 MB). Not downloaded; nothing was uploaded.`);
    }
    const versionId = answer.VersionId && answer.VersionId !== 'null' ? answer.VersionId : undefined;
    const pin = versionId ? { versionId } : answer.ETag ? { etag: answer.ETag } : undefined;
    if (!pin) throw storeFailure(new Error('the HEAD answer carries neither a version ID nor an ETag'), accountID, file.path, 'HEAD');
    return { key, sizeBytes, contentType: (answer.ContentType ?? '').split(';')[0]!.trim().toLowerCase(), pin };
  }

  async function get(accountID: string, file: FileToUpload, object: Pick<ObjectHead, 'key' | 'pin'>): Promise<AsyncIterable<Uint8Array>> {
    let answer: GetObjectCommandOutput;
    try {
      answer = await client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: object.key, ...('versionId' in object.pin ? { VersionId: object.pin.versionId } : { IfMatch: object.pin.etag }) }),
        { abortSignal: abortSignal() },
      );
    } catch (err) {
      throw storeFailure(err, accountID, file.path, 'GET');
    }
    if (!answer.Body) throw storeFailure(new Error('no body'), accountID, file.path, 'GET');
    // In Node the body is the response stream itself (an http.IncomingMessage): read chunk by chunk.
    return answer.Body as AsyncIterable<Uint8Array>;
  }

  function pinOf(version: string | undefined): ObjectHead['pin'] {
    if (!version) throw invalidInput('files: the plan carries no object version; plan again');
    return version.startsWith('etag:') ? { etag: version.slice('etag:'.length) } : { versionId: version.slice('version:'.length) };
  }

  return {
    kind: 's3',
    async inspect(accountID, file): Promise<InspectedDocument> {
      const fileName = checkedName(file);
      const declared = fileTypeFromName(fileName)!;
      const object = await head(accountID, file);
      const bytes = await get(accountID, file, object);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      let sniffed: UploadFileType | undefined;
      const headBytes: Buffer[] = [];
      const confirm = () => {
        sniffed = sniffFileType(Buffer.concat(headBytes));
        if (!sniffed) throw invalidInput(`files: ${file.path} is not a csv, jpeg, pdf or png file (binary content with no known signature)`);
        if (sniffed !== declared) throw invalidInput(`files: ${file.path}: fileName: extension of "${fileName}" says ${declared} but the content is ${sniffed}`);
        const stored = object.contentType;
        if (!GENERIC_CONTENT_TYPES.has(stored) && stored !== CONTENT_TYPES[sniffed]) {
          throw invalidInput(`files: ${file.path}: the object's Content-Type is ${stored} but the content is ${sniffed}`);
        }
      };
      try {
        for await (const chunk of bytes) {
          hash.update(chunk);
          sizeBytes += chunk.byteLength;
          if (sniffed === undefined) {
            headBytes.push(Buffer.from(chunk));
            // The type is confirmed from the first bytes: a wrong one stops the download there.
            if (sizeBytes >= SNIFF_BYTES) confirm();
          }
        }
        if (sniffed === undefined) confirm();
      } finally {
        destroy(bytes);
      }
      if (sizeBytes !== object.sizeBytes) throw invalidInput(`files: ${file.path} changed while being read (${sizeBytes} bytes read, ${object.sizeBytes} announced); plan again`);
      const version = 'versionId' in object.pin ? `version:${object.pin.versionId}` : `etag:${object.pin.etag}`;
      return { fileName, sizeBytes, sha256: hash.digest('hex'), version };
    },

    async recheck(accountID, file, planned): Promise<InspectedDocument | undefined> {
      const fileName = checkedName(file);
      const object = await head(accountID, file);
      const version = 'versionId' in object.pin ? `version:${object.pin.versionId}` : `etag:${object.pin.etag}`;
      // Another version (or a store that changed the ETag): read it whole again.
      if (version !== planned.version) return undefined;
      return { fileName, sizeBytes: object.sizeBytes, sha256: planned.sha256, version };
    },

    async open(accountID, file, inspected): Promise<UploadBody> {
      const key = objectKey(location, accountID, file.path);
      const bytes = await get(accountID, file, { key, pin: pinOf(inspected.version) });
      return {
        kind: 'stream',
        part: {
          fileName: inspected.fileName,
          contentType: CONTENT_TYPES[fileTypeFromName(inspected.fileName)!],
          sizeBytes: inspected.sizeBytes,
          bytes: verified(bytes, inspected, file.path),
        },
      };
    },

    async readCatalog(accountID): Promise<string | undefined> {
      const key = objectKey(location, accountID, CATALOG_FILE_NAME);
      let answer: GetObjectCommandOutput;
      try {
        answer = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }), { abortSignal: abortSignal() });
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) return undefined;
        throw storeFailure(err, accountID, CATALOG_FILE_NAME, 'GET');
      }
      if ((answer.ContentLength ?? 0) > MAX_CATALOG_BYTES) {
        destroy(answer.Body);
        throw invalidInput(`${CATALOG_FILE_NAME} below ${accountPrefixLabel(accountID)} is ${answer.ContentLength} bytes; a catalog may be at most ${MAX_CATALOG_BYTES}`);
      }
      return answer.Body ? await answer.Body.transformToString('utf8') : undefined;
    },
  };
}

/**
 * Passes the bytes through, hashing them, and holds the last chunk back until the whole stream
 * matched the inspected SHA-256 and size: bytes other than the plan's fail the request before its
 * body is complete, so Moov never stores them under the plan's hash.
 */
async function* verified(bytes: AsyncIterable<Uint8Array>, inspected: InspectedDocument, path: string): AsyncIterable<Uint8Array> {
  const hash = createHash('sha256');
  let size = 0;
  let held: Uint8Array | undefined;
  try {
    for await (const chunk of bytes) {
      hash.update(chunk);
      size += chunk.byteLength;
      if (held) yield held;
      held = chunk;
    }
  } finally {
    destroy(bytes);
  }
  const sha256 = hash.digest('hex');
  if (size !== inspected.sizeBytes || sha256 !== inspected.sha256) {
    throw new Error(`files: ${path} changed since it was planned (${size} bytes, sha256 ${sha256}); not sent`);
  }
  if (held) yield held;
}

function checkedName(file: FileToUpload): string {
  const name = file.fileName ?? basename(file.path);
  try {
    assertPathAgreesWithName(file.path, file.fileName);
  } catch (err) {
    if (err instanceof FileSourceError) throw invalidInput(`files: ${file.path}: ${err.message}`);
    throw err;
  }
  if (name.length > MAX_FILE_NAME_LENGTH) throw invalidInput(`files: ${file.path}: fileName: must be at most ${MAX_FILE_NAME_LENGTH} characters (got ${name.length}); pass a shorter fileName`);
  if (!fileTypeFromName(name)) throw invalidInput(`files: ${file.path}: fileName: extension must be one of .csv, .jpg, .jpeg, .pdf, .png`);
  return name;
}

function destroy(stream: unknown): void {
  (stream as { destroy?: () => void }).destroy?.();
}

function abortSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // outside an activity (a script using the source directly)
  }
}

/**
 * The SDK's error as a failure an operator can act on: the key, the status and S3's own code,
 * never the request's signature or credentials (the SDK puts neither in `name` or the status).
 */
function storeFailure(err: unknown, accountID: string, path: string, method: 'HEAD' | 'GET'): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (err as { name?: string }).name ?? 'Error';
  const where = `files: ${path} below ${accountPrefixLabel(accountID)}`;
  if (status === 404 || code === 'NotFound' || code === 'NoSuchKey') return invalidInput(`${where}: no such object (${method} answered 404). Nothing was uploaded.`);
  if (status === 412 || code === 'PreconditionFailed') return invalidInput(`${where}: the object changed since it was planned (412 on ${method}); plan again. Nothing was uploaded.`);
  if (status === 403) {
    // Without s3:ListBucket, S3 answers a missing key with 403, not 404 (docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
    return ApplicationFailure.create({
      type: FailureType.DocumentStoreAccessDenied,
      nonRetryable: true,
      message: `${where}: object storage refused the worker's credentials (403 on ${method}); the worker needs s3:GetObject on the prefix (a missing object also reads as 403 without s3:ListBucket). Nothing was uploaded.`,
    });
  }
  return ApplicationFailure.create({
    type: FailureType.DocumentStoreUnavailable,
    message: `${where}: object storage ${method} failed (${code}${status !== undefined ? `, ${status}` : ''})`,
  });
}

import { invalidInput } from '../moov-failure';

/**
 * `DOCUMENTS_URL=s3://bucket/prefix`: each account's documents are the objects below
 * `prefix/<accountID>/`, and an input path is a key relative to that account prefix. Keys are
 * compared as strings (S3 has no folders, docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html),
 * so containment is decided here on the key itself, before any request.
 */
export interface S3Location {
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
}

/** Bucket names: 3–63 lowercase letters, digits, dots and hyphens (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseDocumentsUrl(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error(`must be s3://bucket or s3://bucket/prefix (got "${url}")`);
  const bucket = match[1]!;
  if (!BUCKET.test(bucket)) throw new Error(`bucket "${bucket}" is not a valid S3 bucket name`);
  const segments = (match[2] ?? '').split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) throw new Error("prefix must not contain '.' or '..' segments");
  return { bucket, prefix: segments.length > 0 ? `${segments.join('/')}/` : '' };
}

/** How messages name an account's prefix (the bucket is configuration, not input). */
export function accountPrefixLabel(accountID: string): string {
  return `DOCUMENTS_URL/${accountID}/`;
}

/**
 * The object key of `relativePath` below the account's prefix, or an InvalidInput refusal. A key
 * that a server or proxy could normalise into another account's prefix (`..`, `.`, empty segments,
 * backslashes) is refused, not rewritten: the input schema already refuses `..`, and this is the
 * check for activity inputs that did not pass it (an old history, a direct activity call).
 */
export function objectKey(location: S3Location, accountID: string, relativePath: string): string {
  const label = accountPrefixLabel(accountID);
  if (!/^[A-Za-z0-9_-]+$/.test(accountID)) throw invalidInput(`accountID: ${accountID} cannot name a prefix below DOCUMENTS_URL`);
  const segments = relativePath.split('/');
  const forged =
    relativePath.length === 0 ||
    relativePath.includes('\\') ||
    [...relativePath].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (forged) throw invalidInput(`files: ${relativePath} is not a key inside ${label} (no '..', '.', empty segments, backslashes or control characters); refusing to read it`);
  const accountPrefix = `${location.prefix}${accountID}/`;
  const key = `${accountPrefix}${relativePath}`;
  // Holds by construction; kept as the invariant the checks above exist for.
  if (!key.startsWith(accountPrefix)) throw invalidInput(`files: ${relativePath} resolves outside ${label}; refusing to read it`);
  return key;
}

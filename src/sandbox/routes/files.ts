import type { HandlerContext, RouteDef } from '../context';
import { kindFromFileName } from '../file-type';
import { HttpError, fail, reply } from '../http-io';
import { newUUID } from '../ids';
import type { FileDetails, FilePurpose } from '../models';
import { FILE_METADATA_KEYS, FILE_PURPOSES } from '../models';
import { parseUpload } from '../multipart';
import type { ParsedUpload } from '../multipart';
import { isPlainObject, param, requireAccount } from './common';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_ACCOUNT = 50;
export const MAX_FILE_NAME_LENGTH = 64;

/**
 * 422 body: `error` says what failed; the field key (`file`, `FileName`, `filePurpose`, `metadata`)
 * mirrors the SDK's FileValidationError, whose wire name for the file name is `FileName`.
 */
function invalid(field: 'file' | 'FileName' | 'filePurpose' | 'metadata' | null, message: string): HttpError {
  return new HttpError(422, field ? { error: message, [field]: message } : { error: message });
}

async function upload(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const parsed = await parseUpload(ctx.req, { maxFileBytes: MAX_FILE_BYTES });
  const { file, filePurpose, metadata } = validateUpload(parsed);
  // Checked after the body is consumed so the connection stays usable for the next request.
  if (account.files.length >= MAX_FILES_PER_ACCOUNT) {
    throw invalid(null, `account already has the maximum of ${MAX_FILES_PER_ACCOUNT} files`);
  }
  const now = ctx.core.clock.iso();
  const details: FileDetails = {
    fileID: newUUID(),
    fileName: file.fileName,
    accountID: account.accountID,
    filePurpose,
    fileStatus: 'pending',
    metadata,
    fileSizeBytes: file.size,
    createdOn: now,
    updatedOn: now,
  };
  account.files.push(details);
  account.fileDigests.set(details.fileID, file.sha256);
  return reply(200, details);
}

function validateUpload(parsed: ParsedUpload) {
  const file = parsed.file;
  if (parsed.extraFiles) throw invalid('file', 'exactly one file may be uploaded per request');
  if (!file || file.fieldName !== 'file') throw invalid('file', 'file is required (multipart file part named "file")');
  if (file.truncated) throw invalid('file', `file exceeds the maximum size of ${MAX_FILE_BYTES} bytes`);
  if (file.size === 0) throw invalid('file', 'file is empty');
  if (file.fileName.length === 0) throw invalid('FileName', 'file name is required');
  if (file.fileName.length > MAX_FILE_NAME_LENGTH) {
    throw invalid('FileName', `file name must be at most ${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (file.kind === null) throw invalid('file', 'file content is not one of the valid types [csv, png, jpeg, pdf]');
  const claimed = kindFromFileName(file.fileName);
  if (claimed === 'unsupported') throw invalid('file', 'file extension is not one of [csv, png, jpg, jpeg, pdf]');
  if (claimed !== 'none' && claimed !== file.kind) {
    throw invalid('file', `file content is ${file.kind} but the name says ${claimed}`);
  }

  const purpose = parsed.fields.get('filePurpose');
  if (!purpose) throw invalid('filePurpose', 'filePurpose is required');
  if (!(FILE_PURPOSES as readonly string[]).includes(purpose)) {
    throw invalid('filePurpose', `filePurpose must be one of [${FILE_PURPOSES.join(', ')}]`);
  }

  const metadata = parsed.fields.get('metadata');
  if (metadata !== undefined) validateMetadata(metadata);
  // Moov stores metadata as the JSON text it was given; with none there is an empty object.
  return { file, filePurpose: purpose as FilePurpose, metadata: metadata ?? '{}' };
}

function validateMetadata(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('metadata', 'metadata must be a JSON object');
  }
  if (!isPlainObject(value)) throw invalid('metadata', 'metadata must be a JSON object');
  for (const [key, v] of Object.entries(value)) {
    if (!(FILE_METADATA_KEYS as readonly string[]).includes(key)) {
      throw invalid('metadata', `metadata key "${key}" is not one of [${FILE_METADATA_KEYS.join(', ')}]`);
    }
    if (typeof v !== 'string') throw invalid('metadata', `metadata value for "${key}" must be a string`);
  }
}

function list(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  return reply(200, account.files.map((f) => ({ ...f })));
}

function get(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const fileID = param(ctx, 'fileID');
  const file = account.files.find((f) => f.fileID === fileID);
  if (!file) throw fail(404, `file ${fileID} not found`);
  return reply(200, { ...file });
}

export const fileRoutes: RouteDef[] = [
  { method: 'POST', path: '/accounts/:accountID/files', kind: 'moov', retryHint: 'x-retry-in', handler: upload },
  { method: 'GET', path: '/accounts/:accountID/files', kind: 'moov', retryHint: 'x-retry-in', handler: list },
  { method: 'GET', path: '/accounts/:accountID/files/:fileID', kind: 'moov', retryHint: 'x-retry-in', handler: get },
];

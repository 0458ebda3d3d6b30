import { ApplicationFailure, Context } from '@temporalio/activity';
import type { FileUploadPlan, PlanFileUploadsInput, PlannedFile, UploadFileInput, UploadedFile } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import type { FileToUpload } from '../domain/remediation-input';
import type { FileDetails, MoovClient } from '../moov';
import { FileSourceError, openFileSource } from '../moov/file-source';
import { resolveInsideRoot } from './files-root';
import { invalidInput, moovCall } from './moov-failure';

/** Moov keeps at most 50 files per account (seed 002). */
export const MAX_FILES_PER_ACCOUNT = 50;

/**
 * How long the plan's "not at Moov yet" stays good enough for a first upload attempt. Past it (a
 * backlog, a workflow reset to before the uploads) the attempt lists the account's files again.
 */
export const PLAN_FRESH_MS = 60_000;

interface LocalFile {
  absolutePath: string;
  fileName: string;
  sizeBytes: number;
}

export interface FileActivityDeps {
  moov: MoovClient;
  filesRoot: string;
}

export function createFileActivities({ moov, filesRoot }: FileActivityDeps) {
  /** Every check Moov would make on the file itself, done locally before any call. */
  async function inspectLocalFile(file: FileToUpload): Promise<LocalFile> {
    const absolutePath = await resolveInsideRoot(filesRoot, file.path);
    try {
      const source = await openFileSource(absolutePath, file.fileName);
      return { absolutePath, fileName: source.fileName, sizeBytes: source.sizeBytes };
    } catch (err) {
      // Named by the input's relative path: the worker's own directories stay out of workflow history.
      if (err instanceof FileSourceError) throw invalidInput(`files: ${file.path}: ${err.message.split(absolutePath).join(file.path)}`);
      throw err;
    }
  }

  async function listAccountFiles(accountID: string): Promise<{ files: FileDetails[]; requestId?: string }> {
    const { data, requestId } = await moovCall(() => moov.listFiles(accountID));
    return { files: data, ...(requestId !== undefined && { requestId }) };
  }

  return {
    /**
     * Checks every requested file locally, then against the account's existing files and the
     * 50-file limit, so that a refusal happens before the first upload rather than halfway.
     */
    async planFileUploads({ accountID, files }: PlanFileUploadsInput): Promise<FileUploadPlan> {
      const local: LocalFile[] = [];
      for (const file of files) {
        local.push(await inspectLocalFile(file));
        Context.current().heartbeat({ inspected: local.length });
      }
      const listedAt = new Date().toISOString();
      const existing = await listAccountFiles(accountID);
      const planned = files.map((file, index): PlannedFile => {
        const found = findSameFile(existing.files, file, local[index]!);
        return {
          index,
          fileName: local[index]!.fileName,
          sizeBytes: local[index]!.sizeBytes,
          ...(found && { existingFileID: found.fileID, existingFileStatus: found.fileStatus }),
        };
      });
      const newFiles = planned.filter((file) => !file.existingFileID).length;
      if (existing.files.length + newFiles > MAX_FILES_PER_ACCOUNT) throw fileLimitFailure(accountID, existing.files.length, newFiles, ' Nothing was uploaded.');
      return {
        files: planned,
        accountFileCount: existing.files.length,
        listedAt,
        ...(existing.requestId !== undefined && { requestId: existing.requestId }),
      };
    },

    /**
     * Idempotent upload: a retry after "Moov stored it but the answer was lost" finds the file in
     * the account's list and does not upload it twice. The first attempt right after the plan
     * trusts the plan's list (one request instead of two); every retry lists again.
     */
    async uploadFile({ accountID, file, plannedAbsentAt }: UploadFileInput): Promise<UploadedFile> {
      const context = Context.current();
      const local = await inspectLocalFile(file);
      const planIsFresh =
        context.info.attempt === 1 && plannedAbsentAt !== undefined && Date.now() - Date.parse(plannedAbsentAt) < PLAN_FRESH_MS;
      if (!planIsFresh) {
        context.heartbeat('listing account files');
        const existing = await listAccountFiles(accountID);
        const found = findSameFile(existing.files, file, local);
        if (found) {
          return {
            fileID: found.fileID,
            fileName: found.fileName,
            fileStatus: found.fileStatus,
            outcome: 'already-present',
            ...(existing.requestId !== undefined && { requestId: existing.requestId }),
          };
        }
        if (existing.files.length >= MAX_FILES_PER_ACCOUNT) throw fileLimitFailure(accountID, existing.files.length, 1, '');
      }
      context.heartbeat('uploading');
      const { data, requestId } = await moovCall(() =>
        moov.uploadFile(accountID, {
          filePath: local.absolutePath,
          fileName: local.fileName,
          filePurpose: file.filePurpose,
          ...(file.metadata !== undefined && { metadata: file.metadata }),
        }),
      );
      context.log.info('file uploaded', { accountID, fileID: data.fileID, requestId });
      return {
        fileID: data.fileID,
        fileName: data.fileName,
        fileStatus: data.fileStatus,
        outcome: 'uploaded',
        ...(requestId !== undefined && { requestId }),
      };
    },
  };
}

/** The dedupe key the issue names: name, purpose, size and requirement id. */
function findSameFile(existing: FileDetails[], file: FileToUpload, local: LocalFile): FileDetails | undefined {
  const requirementID = file.metadata?.requirement_id;
  return existing.find(
    (candidate) =>
      candidate.fileName === local.fileName &&
      candidate.filePurpose === file.filePurpose &&
      candidate.fileSizeBytes === local.sizeBytes &&
      requirementOf(candidate) === requirementID,
  );
}

function requirementOf(file: FileDetails): string | undefined {
  if (!file.metadata) return undefined;
  try {
    const parsed = JSON.parse(file.metadata) as { requirement_id?: unknown };
    return typeof parsed.requirement_id === 'string' ? parsed.requirement_id : undefined;
  } catch {
    return undefined;
  }
}

function fileLimitFailure(accountID: string, existing: number, adding: number, outcome: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.FileLimit,
    nonRetryable: true,
    message:
      `Account ${accountID} already has ${existing} files; uploading ${adding} more would pass Moov's limit of ` +
      `${MAX_FILES_PER_ACCOUNT} files per account.${outcome}`,
  });
}

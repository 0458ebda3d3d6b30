import { ApplicationFailure, Context } from '@temporalio/activity';
import type { FileUploadPlan, PlanFileUploadsInput, PlannedFile, UploadFileInput, UploadedFile } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import type { FileToUpload } from '../domain/remediation-input';
import { MoovError, type FileDetails, type MoovClient } from '../moov';
import { contentHashOf, parseMetadata, withContentHash } from '../moov/file-content-hash';
import { HEARTBEAT_TIMEOUT_MS } from '../domain/activity-timeouts';
import { abandonedRunClosesFromVisibility, type AbandonedRunCloses } from './abandoned-runs';
import type { DocumentSource, InspectedDocument } from './documents/document-source';
import { localFolderSource } from './documents/local-folder';
import type { FilesLayout } from './files-layout';
import { failureCategory, invalidInput, moovCall, toApplicationFailure } from './moov-failure';
import { WORKER_CLOCK_MARGIN_MS, answerSettlesUpload, earlierUploadInFlight, inFlightUpload, recordHeartbeat, untilLanded, withHeartbeats, type UploadHeartbeat } from './upload-attempt';

/** Moov keeps at most 50 files per account (docs.moov.io/api/moov-accounts/files/, "Upload file"). */
export const MAX_FILES_PER_ACCOUNT = 50;

/**
 * How long the plan's "not at Moov yet" stays good enough for a first upload attempt. Past it (a
 * backlog, a workflow reset to before the uploads) the attempt lists the account's files again.
 */
export const PLAN_FRESH_MS = 60_000;

/** A document as inspected: its size, name and content hash (./documents/document-source.ts). */
type LocalFile = InspectedDocument;

export interface FileActivityDeps {
  moov: MoovClient;
  /** Where documents are read from; default: the local folder `filesRoot` (./documents/local-folder.ts). */
  documents?: DocumentSource;
  /** FILES_ROOT, for the local folder; not needed with `documents`. */
  filesRoot?: string;
  /** Default `per-account`: an account's files are read only from FILES_ROOT/<accountID>/. */
  filesLayout?: FilesLayout;
  /** Default: Temporal's visibility, through the worker's client. */
  abandonedRunCloses?: AbandonedRunCloses;
}

/** What the account's file list says about one local file. */
type Match = { kind: 'present'; file: FileDetails } | { kind: 'rejected'; file: FileDetails } | { kind: 'absent' };

export function createFileActivities({ moov, documents, filesRoot, filesLayout, abandonedRunCloses = abandonedRunClosesFromVisibility }: FileActivityDeps) {
  if (!documents && filesRoot === undefined) throw new Error('createFileActivities: give a document source or FILES_ROOT');
  const source = documents ?? localFolderSource(filesRoot!, filesLayout);
  /**
   * An earlier run's upload may still land until it closed, plus the time its abandoned attempt
   * takes to notice (its next heartbeat, within the heartbeat timeout), plus the longest request.
   * Its heartbeat details never reach a new run, so this is all a new run can know of it.
   */
  const abandonedUploadWindowMs = HEARTBEAT_TIMEOUT_MS + moov.longestRequestMs + WORKER_CLOCK_MARGIN_MS;

  /** Refuses to plan while an upload of an earlier run of this account, terminated or failed mid-upload, may still land. */
  async function awaitAbandonedUploads(accountID: string): Promise<void> {
    const closes = await abandonedRunCloses(accountID, new Date(Date.now() - abandonedUploadWindowMs));
    if (closes.length === 0) return;
    const landsBy = Math.max(...closes) + abandonedUploadWindowMs;
    // A retry the server starts early only finds the time not yet passed and waits again.
    if (Date.now() < landsBy) throw abandonedRunFailure(accountID, new Date(Math.max(...closes)), new Date(landsBy), Date.now());
  }

  /** Every check Moov would make on the file itself, done before any call, and its content hash. */
  function inspectLocalFile(accountID: string, file: FileToUpload): Promise<LocalFile> {
    return source.inspect(accountID, file);
  }

  async function listAccountFiles(accountID: string, heartbeat: UploadHeartbeat): Promise<{ files: FileDetails[]; requestId?: string }> {
    const { data, requestId } = await withHeartbeats(heartbeat, () => moovCall(() => moov.listFiles(accountID)));
    return { files: data, ...(requestId !== undefined && { requestId }) };
  }

  /** The list before this attempt's own upload: if it fails, the record says nothing was sent. */
  async function listBeforeUploading(accountID: string) {
    try {
      return await listAccountFiles(accountID, { phase: 'listing' });
    } catch (err) {
      recordHeartbeat({ phase: 'nothing-sent' });
      throw err;
    }
  }

  /** One upload request, heartbeating while it is on the wire; the record says until when it may land. */
  async function sendUpload(accountID: string, file: FileToUpload, local: LocalFile) {
    const context = Context.current();
    // Opened before the in-flight record: a document that cannot be read (or changed) sent nothing.
    const body = await source.open(accountID, file, local);
    const metadata = withContentHash(file.metadata, local.sha256);
    const inFlight = inFlightUpload(local.sha256, Date.now(), moov.longestRequestMs);
    try {
      return await withHeartbeats(inFlight, () =>
        body.kind === 'path'
          ? moov.uploadFile(accountID, { filePath: body.filePath, fileName: body.fileName, filePurpose: file.filePurpose, metadata }, { signal: context.cancellationSignal })
          : moov.uploadFileStream(accountID, body.part, { filePurpose: file.filePurpose, metadata }, { signal: context.cancellationSignal }),
      );
    } catch (err) {
      if (!(err instanceof MoovError)) throw err;
      if (answerSettlesUpload(err)) recordHeartbeat({ phase: 'answered' });
      throw toApplicationFailure(err);
    }
  }

  return {
    /**
     * Checks every requested file locally, then against the account's existing files and the
     * 50-file limit, so that a refusal happens before the first upload rather than halfway.
     */
    async planFileUploads({ accountID, files }: PlanFileUploadsInput): Promise<FileUploadPlan> {
      const local: LocalFile[] = [];
      for (const file of files) {
        local.push(await inspectLocalFile(accountID, file));
        recordHeartbeat({ phase: 'inspecting', inspected: local.length });
      }
      refuseSameContentTwice(files, local);
      await awaitAbandonedUploads(accountID);
      const listedAt = new Date().toISOString();
      const existing = await listAccountFiles(accountID, { phase: 'listing' });
      const matches = files.map((file, index) => matchExisting(existing.files, file, local[index]!));
      const rejected = matches.flatMap((match, index) => (match.kind === 'rejected' ? [{ index, match }] : []));
      if (rejected.length > 0) {
        throw fileRejectedFailure(
          rejected.map(({ index, match }) => ({ index, path: files[index]!.path, file: match.file })),
          ' Nothing was uploaded.',
        );
      }
      const planned = files.map((_file, index): PlannedFile => {
        const match = matches[index]!;
        return {
          index,
          fileName: local[index]!.fileName,
          sizeBytes: local[index]!.sizeBytes,
          sha256: local[index]!.sha256,
          ...(local[index]!.version !== undefined && { version: local[index]!.version }),
          ...(match.kind === 'present' && { existingFileID: match.file.fileID, existingFileStatus: match.file.fileStatus }),
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
     * Idempotent upload: a retry after "Moov stored it but the answer was lost" finds the file (by
     * its content hash) in the account's list and does not upload it twice; a retry after an upload
     * that got no answer at all does not upload again while that one may still land. The first
     * attempt right after the plan trusts the plan's list (one request instead of two).
     */
    async uploadFile({ accountID, file, plannedAbsentAt, plannedSha256, plannedVersion }: UploadFileInput): Promise<UploadedFile> {
      const context = Context.current();
      const startedAt = Date.now();
      // Object storage: the same version as planned is not downloaded once more just to hash it again.
      const rechecked = plannedSha256 !== undefined && plannedVersion !== undefined ? await source.recheck?.(accountID, file, { sha256: plannedSha256, version: plannedVersion }) : undefined;
      const local = rechecked ?? (await inspectLocalFile(accountID, file));
      const planIsFresh =
        context.info.attempt === 1 &&
        plannedAbsentAt !== undefined &&
        Date.now() - Date.parse(plannedAbsentAt) < PLAN_FRESH_MS &&
        (plannedSha256 === undefined || plannedSha256 === local.sha256);
      if (!planIsFresh) {
        const earlier = earlierUploadInFlight(context.info, local.sha256, moov.longestRequestMs, startedAt);
        const mayStillLand = earlier !== undefined && Date.now() < Date.parse(earlier.landsBy);
        // While the earlier upload may still land, its record is what the next attempt must see.
        let existing = mayStillLand ? await listAccountFiles(accountID, earlier) : await listBeforeUploading(accountID);
        let match = matchExisting(existing.files, file, local);
        if (match.kind === 'absent' && mayStillLand) {
          // Not there yet: wait until it can no longer land, then whatever it stored is listed.
          await untilLanded(earlier);
          existing = await listBeforeUploading(accountID);
          match = matchExisting(existing.files, file, local);
        }
        if (match.kind === 'present') {
          return {
            fileID: match.file.fileID,
            fileName: match.file.fileName,
            fileStatus: match.file.fileStatus,
            outcome: 'already-present',
            sha256: local.sha256,
            ...(existing.requestId !== undefined && { requestId: existing.requestId }),
          };
        }
        if (match.kind === 'rejected') throw fileRejectedFailure([{ path: file.path, file: match.file }], '');
        if (existing.files.length >= MAX_FILES_PER_ACCOUNT) throw fileLimitFailure(accountID, existing.files.length, 1, '');
      }
      const { data, requestId } = await sendUpload(accountID, file, local);
      context.log.info('file uploaded', { accountID, fileID: data.fileID, requestId });
      return {
        fileID: data.fileID,
        fileName: data.fileName,
        fileStatus: data.fileStatus,
        outcome: 'uploaded',
        sha256: local.sha256,
        ...(requestId !== undefined && { requestId }),
      };
    },
  };
}

/**
 * A file is the same when its bytes are (the SHA-256 in its Moov metadata), for the same purpose and
 * requirement. A copy Moov has not rejected satisfies the upload; a rejected copy never does, and
 * the same bytes again would only be rejected again. Files without a hash (uploaded by others, or
 * before hashes were recorded) never match: uploading again is safer than keeping the wrong bytes.
 */
export function matchExisting(existing: FileDetails[], file: FileToUpload, local: LocalFile): Match {
  const requirementID = file.metadata?.requirement_id;
  const same = existing.filter(
    (candidate) => contentHashOf(candidate) === local.sha256 && candidate.filePurpose === file.filePurpose && requirementOf(candidate) === requirementID,
  );
  const usable = same.find((candidate) => candidate.fileStatus !== 'rejected');
  if (usable) return { kind: 'present', file: usable };
  const rejected = same.find((candidate) => candidate.fileStatus === 'rejected');
  return rejected ? { kind: 'rejected', file: rejected } : { kind: 'absent' };
}

/**
 * Two entries with the same bytes, purpose and requirement are one document: both plans would find
 * it absent and the parallel uploads would store it twice. (The input schema catches the same path
 * twice; only the worker can see that two paths hold the same bytes.)
 */
function refuseSameContentTwice(files: FileToUpload[], local: LocalFile[]): void {
  const seen = new Map<string, number>();
  files.forEach((file, index) => {
    const key = `${local[index]!.sha256}\0${file.filePurpose}\0${file.metadata?.requirement_id ?? ''}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    throw invalidInput(
      `files.${index}: ${file.path} has the same content as files.${first} (${files[first]!.path}) for the same purpose and requirement. Nothing was uploaded.`,
    );
  });
}

function requirementOf(file: FileDetails): string | undefined {
  const requirementID = parseMetadata(file.metadata)?.requirement_id;
  return typeof requirementID === 'string' ? requirementID : undefined;
}

function fileRejectedFailure(rejected: { index?: number; path: string; file: FileDetails }[], outcome: string): ApplicationFailure {
  const which = rejected
    .map(({ index, path, file }) => {
      const reason = file.decisionReason ? ` (${file.decisionReason})` : '';
      return `${index !== undefined ? `files.${index} ` : ''}${path}: Moov rejected these exact bytes as file ${file.fileID}${reason}`;
    })
    .join('; ');
  return ApplicationFailure.create({
    type: FailureType.FileRejected,
    nonRetryable: true,
    message: `${which}. Uploading them again cannot satisfy the requirement; supply a corrected document.${outcome}`,
  });
}

function abandonedRunFailure(accountID: string, closedAt: Date, landsBy: Date, now: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.UploadMayStillLand,
    ...failureCategory(FailureType.UploadMayStillLand),
    message:
      `An earlier remediation of account ${accountID} ended at ${closedAt.toISOString()} without finishing (terminated, cancelled, timed out or failed); ` +
      `an upload it had sent may still land at Moov until ${landsBy.toISOString()}, so the files are planned then instead of uploaded twice`,
    nextRetryDelay: Math.max(1, landsBy.getTime() - now),
  });
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

import type { RemediationActivities } from '../domain/remediation-activities';
import type { FileToUpload } from '../domain/remediation-input';
import { mapBounded } from './bounded-parallel';
import type { StatusTracker } from './status-tracker';

/**
 * Uploads the files the partner already holds. The plan (local checks, the account's existing
 * files, the 50-file limit) comes first so that nothing is uploaded when any file is refused.
 */
export async function uploadRequiredFiles(
  activities: RemediationActivities,
  accountID: string,
  files: FileToUpload[],
  concurrency: number,
  tracker: StatusTracker,
): Promise<void> {
  tracker.setPhase('uploading-files');
  tracker.status.files = files.map((file) => ({
    path: file.path,
    ...(file.fileName !== undefined && { fileName: file.fileName }),
    filePurpose: file.filePurpose,
    ...(file.metadata?.requirement_id !== undefined && { requirementID: file.metadata.requirement_id }),
    state: 'pending' as const,
  }));
  const plan = await activities.planFileUploads({ accountID, files });
  for (const planned of plan.files) {
    const progress = tracker.status.files[planned.index];
    if (!progress) continue;
    progress.fileName = planned.fileName;
    if (planned.existingFileID) {
      Object.assign(progress, { state: 'already-present', fileID: planned.existingFileID, fileStatus: planned.existingFileStatus });
    }
  }
  const toUpload = files.map((file, index) => ({ file, index })).filter(({ index }) => !plan.files[index]?.existingFileID);
  await mapBounded(toUpload, concurrency, async ({ file, index }) => {
    const progress = tracker.status.files[index];
    if (progress) progress.state = 'uploading';
    try {
      const planned = plan.files[index];
      const uploaded = await activities.uploadFile({
        accountID,
        file,
        ...(plan.listedAt !== undefined && { plannedAbsentAt: plan.listedAt }),
        ...(planned?.sha256 !== undefined && { plannedSha256: planned.sha256 }),
      });
      if (progress) {
        Object.assign(progress, {
          state: uploaded.outcome === 'already-present' ? 'already-present' : 'uploaded',
          fileID: uploaded.fileID,
          fileStatus: uploaded.fileStatus,
          requestId: uploaded.requestId,
        });
      }
    } catch (err) {
      if (progress) progress.state = 'failed';
      throw err;
    }
  });
}

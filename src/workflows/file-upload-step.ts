import type { FileToUpload } from '../domain/remediation-input';
import { mapBounded } from './bounded-parallel';
import type { StepContext } from './step-context';

/**
 * Uploads the files the partner already holds. The plan (local checks, the account's existing
 * files, the 50-file limit) comes first so that nothing is uploaded when any file is refused.
 */
export async function uploadRequiredFiles({ activities, accountID, options, tracker }: StepContext, files: FileToUpload[]): Promise<void> {
  tracker.setPhase('uploading-files');
  const first = tracker.filesRequested(files);
  const plan = await activities.planFileUploads({ accountID, files });
  tracker.filesPlanned(plan, first);
  const toUpload = files.map((file, index) => ({ file, index })).filter(({ index }) => !plan.files[index]?.existingFileID);
  await mapBounded(toUpload, options.uploadConcurrency, async ({ file, index }) => {
    tracker.fileUploading(first + index);
    try {
      const planned = plan.files[index];
      const uploaded = await activities.uploadFile({
        accountID,
        file,
        ...(plan.listedAt !== undefined && { plannedAbsentAt: plan.listedAt }),
        ...(planned?.sha256 !== undefined && { plannedSha256: planned.sha256 }),
        ...(planned?.version !== undefined && { plannedVersion: planned.version }),
      });
      tracker.fileUploaded(first + index, uploaded);
    } catch (err) {
      tracker.fileFailed(first + index);
      throw err;
    }
  });
}

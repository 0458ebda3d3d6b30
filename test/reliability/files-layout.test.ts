import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileActivities } from '../../src/activities/file-activities';
import type { FilesLayout } from '../../src/activities/files-layout';
import type { FileUploadPlan } from '../../src/domain/activity-contracts';
import { minimalPdf } from '../../src/embedded/demo-files';
import { SAMPLE_FILES } from '../support/demo-files';
import { useActivitySandbox } from '../support/activity-sandbox';

/**
 * FILES_LAYOUT decides which folder an account's input paths are relative to: its own folder by
 * default, FILES_ROOT itself only when a deployment asks for the old shared layout.
 */
const ctx = useActivitySandbox();

function plan(layout: FilesLayout | undefined, accountID: string, filePath: string): Promise<FileUploadPlan> {
  // No Temporal server here: no earlier runs (terminated-mid-upload.test.ts covers that check for real).
  const noEarlierRuns = async () => [];
  const activities = createFileActivities({ moov: ctx().moov, filesRoot: ctx().filesRoot, abandonedRunCloses: noEarlierRuns, ...(layout && { filesLayout: layout }) });
  return new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(activities.planFileUploads, {
    accountID,
    files: [{ path: filePath, filePurpose: 'identity_verification' as const }],
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ACCOUNT_COPY = minimalPdf('Passport - the account folder copy');

/** FILES_ROOT/passport.pdf (the sample) and FILES_ROOT/<accountID>/passport.pdf (other bytes). */
async function seedWithOwnCopy(): Promise<string> {
  const { accountID } = await ctx().admin.seedAccount({ displayName: 'Layout Yoga' });
  await mkdir(path.join(ctx().filesRoot, accountID));
  await writeFile(path.join(ctx().filesRoot, accountID, 'passport.pdf'), ACCOUNT_COPY);
  return accountID;
}

test.each([
  { name: 'unset (the default)', layout: undefined },
  { name: 'per-account', layout: 'per-account' as const },
])('FILES_LAYOUT $name: paths are relative to FILES_ROOT/<accountID>/, and FILES_ROOT itself is out of reach', async ({ layout }) => {
  const accountID = await seedWithOwnCopy();

  const planned = await plan(layout, accountID, 'passport.pdf');

  expect(planned.files[0]!.sha256).toBe(sha256(ACCOUNT_COPY));
  const { accountID: noFolder } = await ctx().admin.seedAccount({ displayName: 'No Folder Yoga' });
  await expect(plan(layout, noFolder, 'passport.pdf')).rejects.toThrow(`files: passport.pdf cannot be read below FILES_ROOT/${noFolder}/ (ENOENT)`);
});

test('FILES_LAYOUT=shared: paths are relative to FILES_ROOT, as before per-account folders', async () => {
  const accountID = await seedWithOwnCopy();

  expect((await plan('shared', accountID, 'passport.pdf')).files[0]!.sha256).toBe(sha256(SAMPLE_FILES['passport.pdf']!));
  expect((await plan('shared', accountID, `${accountID}/passport.pdf`)).files[0]!.sha256).toBe(sha256(ACCOUNT_COPY));
  await expect(plan('shared', accountID, 'nowhere.pdf')).rejects.toThrow('files: nowhere.pdf cannot be read below FILES_ROOT (ENOENT)');
});

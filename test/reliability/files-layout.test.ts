import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileActivities } from '../../src/activities/file-activities';
import type { FilesLayout } from '../../src/activities/files-layout';
import type { FileUploadPlan } from '../../src/domain/activity-contracts';
import type { MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { minimalPdf } from '../../src/embedded/demo-files';
import { SAMPLE_FILES, makeFilesRoot } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';

/**
 * FILES_LAYOUT decides which folder an account's input paths are relative to: its own folder by
 * default, FILES_ROOT itself only when a deployment asks for the old shared layout.
 */
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let moov: MoovClient;
let filesRoot: string;

beforeAll(async () => {
  [sandbox, filesRoot] = await Promise.all([startSandbox({ rateLimitRps: 0 }), makeFilesRoot()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
});

afterAll(async () => {
  await moov.close();
  await sandbox.close();
  await rm(filesRoot, { recursive: true, force: true });
});

function plan(layout: FilesLayout | undefined, accountID: string, filePath: string): Promise<FileUploadPlan> {
  const activities = createFileActivities({ moov, filesRoot, ...(layout && { filesLayout: layout }) });
  return new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(activities.planFileUploads, {
    accountID,
    files: [{ path: filePath, filePurpose: 'identity_verification' as const }],
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ACCOUNT_COPY = minimalPdf('Passport - the account folder copy');

/** FILES_ROOT/passport.pdf (the sample) and FILES_ROOT/<accountID>/passport.pdf (other bytes). */
async function seedWithOwnCopy(): Promise<string> {
  const { accountID } = await admin.seedAccount({ displayName: 'Layout Yoga' });
  await mkdir(path.join(filesRoot, accountID));
  await writeFile(path.join(filesRoot, accountID, 'passport.pdf'), ACCOUNT_COPY);
  return accountID;
}

test.each([
  { name: 'unset (the default)', layout: undefined },
  { name: 'per-account', layout: 'per-account' as const },
])('FILES_LAYOUT $name: paths are relative to FILES_ROOT/<accountID>/, and FILES_ROOT itself is out of reach', async ({ layout }) => {
  const accountID = await seedWithOwnCopy();

  const planned = await plan(layout, accountID, 'passport.pdf');

  expect(planned.files[0]!.sha256).toBe(sha256(ACCOUNT_COPY));
  const { accountID: noFolder } = await admin.seedAccount({ displayName: 'No Folder Yoga' });
  await expect(plan(layout, noFolder, 'passport.pdf')).rejects.toThrow(`files: passport.pdf cannot be read below FILES_ROOT/${noFolder}/ (ENOENT)`);
});

test('FILES_LAYOUT=shared: paths are relative to FILES_ROOT, as before per-account folders', async () => {
  const accountID = await seedWithOwnCopy();

  expect((await plan('shared', accountID, 'passport.pdf')).files[0]!.sha256).toBe(sha256(SAMPLE_FILES['passport.pdf']!));
  expect((await plan('shared', accountID, `${accountID}/passport.pdf`)).files[0]!.sha256).toBe(sha256(ACCOUNT_COPY));
  await expect(plan('shared', accountID, 'nowhere.pdf')).rejects.toThrow('files: nowhere.pdf cannot be read below FILES_ROOT (ENOENT)');
});

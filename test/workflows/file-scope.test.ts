import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SAMPLE_FILES } from '../support/demo-files';
import { rootFailure, seedMerchant, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

const h = useWorkflowHarness();

async function accountDir(accountID: string): Promise<string> {
  const dir = path.join(h().filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function expectRefusedBeforeAnyCall(accountID: string, files: unknown[], message: RegExp): Promise<void> {
  const failure = await rootFailure((await startRemediationWorkflow(h(), { accountID, files } as never)).result());
  expect(failure.type).toBe('InvalidRemediationInput');
  expect(failure.message).toMatch(message);
  expect(failure.message).not.toContain(h().filesRoot);
  expect(await h().admin.requests({ accountID })).toEqual([]);
}

test("a file in another account's folder cannot be uploaded to this account", async () => {
  const [accountID, otherID] = [await seedMerchant(h()), await seedMerchant(h())];
  await writeFile(path.join(await accountDir(otherID), 'statement.pdf'), SAMPLE_FILES['passport.pdf']!);

  await expectRefusedBeforeAnyCall(accountID, [{ path: `${otherID}/statement.pdf`, filePurpose: 'business_verification' }], new RegExp(`cannot be read below FILES_ROOT/${accountID}/ \\(ENOENT\\)`));
});

test("a symbolic link from this account's folder into another account's folder is refused", async () => {
  const [accountID, otherID] = [await seedMerchant(h()), await seedMerchant(h())];
  const target = path.join(await accountDir(otherID), 'statement.pdf');
  await writeFile(target, SAMPLE_FILES['passport.pdf']!);
  await symlink(target, path.join(await accountDir(accountID), 'statement.pdf'));

  await expectRefusedBeforeAnyCall(accountID, [{ path: 'statement.pdf', filePurpose: 'business_verification' }], new RegExp(`resolves outside FILES_ROOT/${accountID}/`));
});

test('a .env named a.csv is refused: the path, the file name and the bytes must agree on the type', async () => {
  const accountID = await seedMerchant(h());
  await writeFile(path.join(await accountDir(accountID), '.env'), 'MOOV_SECRET_KEY=sk_live_not_a_document\n');

  await expectRefusedBeforeAnyCall(accountID, [{ path: '.env', fileName: 'a.csv', filePurpose: 'account_requirement' }], /path: extension of "\.env" must be one of/);
});

test('a .txt path named statement.csv is refused even though its bytes are text', async () => {
  const accountID = await seedMerchant(h());
  await writeFile(path.join(await accountDir(accountID), 'notes.txt'), 'id,amount\n1,2\n');

  await expectRefusedBeforeAnyCall(accountID, [{ path: 'notes.txt', fileName: 'statement.csv', filePurpose: 'account_requirement' }], /path: extension of "notes\.txt" must be one of/);
});

test('a .png path named passport.pdf is refused: the path and the file name disagree', async () => {
  const accountID = await seedMerchant(h());
  await writeFile(path.join(await accountDir(accountID), 'scan.png'), SAMPLE_FILES['utility-bill.png']!);

  await expectRefusedBeforeAnyCall(accountID, [{ path: 'scan.png', fileName: 'scan.pdf', filePurpose: 'identity_verification' }], /path "scan\.png" says png but fileName "scan\.pdf" says pdf/);
});

test("control: a file in the account's own folder is uploaded", async () => {
  const accountID = await seedMerchant(h());
  await writeFile(path.join(await accountDir(accountID), 'statement.pdf'), SAMPLE_FILES['passport.pdf']!);

  const result = await (await startRemediationWorkflow(h(), { accountID, files: [{ path: 'statement.pdf', filePurpose: 'business_verification' }] })).result();

  expect(result.files[0]!.state).toBe('uploaded');
});

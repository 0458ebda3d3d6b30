import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { minimalPdf } from '../../src/embedded/demo-files';
import { rootFailure, seedMerchant, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

const h = useWorkflowHarness();

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';

/** Two versions of one document: same name, same size, different bytes. */
const ARTICLES_REJECTED = minimalPdf('Articles of Organization - Blue Bottle Yoga LLC, v1');
const ARTICLES_CORRECTED = minimalPdf('Articles of Organization - Blue Bottle Yoga LLC, v2');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function putDocument(accountID: string, name: string, bytes: Buffer): Promise<void> {
  const dir = path.join(h().filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), bytes);
}

const articles = { path: 'articles.pdf', filePurpose: 'business_verification' as const, metadata: { requirement_id: 'document.business.verification' } };

async function uploadThenDecide(accountID: string, decision: { fileStatus: string; decisionReason?: string }) {
  await putDocument(accountID, 'articles.pdf', ARTICLES_REJECTED);
  const first = await (await startRemediationWorkflow(h(), { accountID, files: [articles] })).result();
  const fileID = first.files[0]!.fileID!;
  await h().admin.patchFile(accountID, fileID, decision);
  return fileID;
}

test('a corrected articles.pdf with the same name and size as a rejected one is uploaded, not reported already-present', async () => {
  expect(ARTICLES_CORRECTED.length).toBe(ARTICLES_REJECTED.length);
  const accountID = await seedMerchant(h());
  const rejectedID = await uploadThenDecide(accountID, { fileStatus: 'rejected', decisionReason: 'name does not match' });
  await putDocument(accountID, 'articles.pdf', ARTICLES_CORRECTED);

  const second = await (await startRemediationWorkflow(h(), { accountID, files: [articles] })).result();

  expect(second.files[0]).toMatchObject({ state: 'uploaded', fileStatus: 'pending' });
  expect(second.files[0]!.fileID).not.toBe(rejectedID);
  const stored = (await h().admin.state(accountID)).files;
  expect(stored).toHaveLength(2);
  expect(stored.find((f) => f.fileID === second.files[0]!.fileID)!.metadata).toContain(sha256(ARTICLES_CORRECTED));
});

test('a same-name, same-size file with other bytes is a different document even while the first is pending', async () => {
  const accountID = await seedMerchant(h());
  await uploadThenDecide(accountID, { fileStatus: 'pending' });
  await putDocument(accountID, 'articles.pdf', ARTICLES_CORRECTED);

  const second = await (await startRemediationWorkflow(h(), { accountID, files: [articles] })).result();

  expect(second.files[0]!.state).toBe('uploaded');
  expect((await h().admin.state(accountID)).files).toHaveLength(2);
});

test('the same bytes Moov rejected are refused before any upload, naming the rejected file and Moov\'s reason', async () => {
  const accountID = await seedMerchant(h());
  const rejectedID = await uploadThenDecide(accountID, { fileStatus: 'rejected', decisionReason: 'document illegible' });
  await putDocument(accountID, 'owners.csv', Buffer.from('name,share\nAda Lovelace,100\n'));
  const before = (await h().admin.requests({ accountID, route: UPLOAD_ROUTE })).length;

  const failure = await rootFailure(
    (await startRemediationWorkflow(h(), { accountID, files: [{ path: 'owners.csv', filePurpose: 'business_verification' }, articles] })).result(),
  );

  expect(failure.type).toBe('MoovFileRejected');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(rejectedID);
  expect(failure.message).toContain('document illegible');
  expect(failure.message).toMatch(/articles\.pdf/);
  expect(await h().admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(before);
});

test('the same bytes under another name are already present (a file is identified by its content)', async () => {
  const accountID = await seedMerchant(h());
  const firstID = await uploadThenDecide(accountID, { fileStatus: 'approved' });
  await putDocument(accountID, 'articles-copy.pdf', ARTICLES_REJECTED);

  const second = await (await startRemediationWorkflow(h(), { accountID, files: [{ ...articles, path: 'articles-copy.pdf' }] })).result();

  expect(second.files[0]).toMatchObject({ state: 'already-present', fileID: firstID, fileStatus: 'approved' });
  expect((await h().admin.state(accountID)).files).toHaveLength(1);
});

test('the content hash travels in Moov\'s comment metadata, beside the caller\'s own comment', async () => {
  const accountID = await seedMerchant(h());
  await putDocument(accountID, 'articles.pdf', ARTICLES_REJECTED);

  await (await startRemediationWorkflow(h(), { accountID, files: [{ ...articles, metadata: { ...articles.metadata, comment: 'signed copy from the county' } }] })).result();

  const [stored] = (await h().admin.state(accountID)).files;
  const metadata = JSON.parse(stored!.metadata!) as Record<string, string>;
  expect(Object.keys(metadata).sort()).toEqual(['comment', 'requirement_id']);
  expect(metadata.comment).toContain('signed copy from the county');
  expect(metadata.comment).toContain(`sha256:${sha256(ARTICLES_REJECTED)}`);
});

test('the same bytes twice in one input (under two paths) are refused before any upload, not stored twice', async () => {
  const accountID = await seedMerchant(h());
  await putDocument(accountID, 'articles.pdf', ARTICLES_REJECTED);
  await putDocument(accountID, 'articles-scan.pdf', ARTICLES_REJECTED);

  const failure = await rootFailure(
    (await startRemediationWorkflow(h(), { accountID, files: [articles, { ...articles, path: 'articles-scan.pdf' }] })).result(),
  );

  expect(failure.type).toBe('InvalidRemediationInput');
  expect(failure.message).toBe('files.1: articles-scan.pdf has the same content as files.0 (articles.pdf) for the same purpose and requirement. Nothing was uploaded.');
  expect(await h().admin.requests({ accountID, route: UPLOAD_ROUTE })).toEqual([]);
});

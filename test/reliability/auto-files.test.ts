import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCatalogActivities } from '../../src/activities/catalog-activities';
import type { DocumentSource } from '../../src/activities/documents/document-source';
import { localFolderSource } from '../../src/activities/documents/local-folder';
import { s3BucketSource } from '../../src/activities/documents/s3-bucket';
import { createDocumentsS3Client } from '../../src/activities/documents/s3-client';
import { parseDocumentsUrl } from '../../src/activities/documents/s3-location';
import { createFileActivities } from '../../src/activities/file-activities';
import type { FileUploadPlan, UploadedFile } from '../../src/domain/activity-contracts';
import type { AutoFilesPlan, DocumentCatalog } from '../../src/domain/document-catalog';
import type { FileToUpload } from '../../src/domain/remediation-input';
import { checkerboardPng, demoCsv, minimalPdf } from '../../src/embedded/demo-files';
import { useActivitySandbox } from '../support/activity-sandbox';
import { useS3Server } from '../support/s3-server';

/**
 * `files: "auto"`: the account's open requirements at Moov (the sandbox, seeded) against the
 * platform's catalog.json beside the documents, in object storage (moto_server on loopback) and in
 * the local folder. Each satisfied requirement is covered by one document, uploaded once; the rest
 * are left to the resolution link.
 */
const ctx = useActivitySandbox();
const BUCKET = 'kyc-auto';
const PREFIX = 'merchants';
const server = useS3Server([{ name: BUCKET }]);

const DOCUMENTS: Record<string, Buffer> = {
  'articles.pdf': minimalPdf('Articles of organization - Acme Yoga LLC'),
  'owner-passport.png': checkerboardPng(8, 8),
  'bank-statement.csv': demoCsv(),
  'ein-letter.pdf': minimalPdf('EIN confirmation letter'),
};

const CATALOG: DocumentCatalog = {
  documents: [
    { path: 'articles.pdf', filePurpose: 'business_verification', satisfies: ['document.business.verification'] },
    { path: 'owner-passport.png', filePurpose: 'representative_verification', satisfies: ['document.representative.verification'], representativeID: 'rep-1' },
    // Satisfies nothing this account has open: never chosen.
    { path: 'bank-statement.csv', filePurpose: 'merchant_underwriting', satisfies: ['document.bank-statement'] },
    { path: 'ein-letter.pdf', filePurpose: 'business_verification', satisfies: ['document.business.tax-id'] },
  ],
};

/** An account whose capabilities have errors and items due, some that the catalog satisfies. */
async function seedAccount(name: string): Promise<string> {
  const { accountID } = await ctx().admin.seedAccount({
    displayName: name,
    capabilities: [
      {
        capability: 'collect-funds',
        status: 'pending',
        requirements: {
          errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
          currentlyDue: ['document.representative.verification', 'business.industry-codes'],
        },
      },
      // The same requirement under another capability: one document covers both.
      { capability: 'wallet', status: 'pending', requirements: { currentlyDue: ['document.business.verification', 'document.business.tax-id'] } },
    ],
  });
  return accountID;
}

function s3Source(): DocumentSource {
  return s3BucketSource({ client: createDocumentsS3Client({ endpoint: server().endpoint, region: 'us-east-1' }), location: parseDocumentsUrl(`s3://${BUCKET}/${PREFIX}`) });
}

async function seedS3(accountID: string, catalog: DocumentCatalog | string = CATALOG): Promise<void> {
  for (const [name, bytes] of Object.entries(DOCUMENTS)) await server().put(BUCKET, `${PREFIX}/${accountID}/${name}`, bytes);
  await server().put(BUCKET, `${PREFIX}/${accountID}/catalog.json`, Buffer.from(typeof catalog === 'string' ? catalog : JSON.stringify(catalog)), 'application/json');
}

const env = () => new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });

function planAuto(documents: DocumentSource, accountID: string): Promise<AutoFilesPlan> {
  return env().run(createCatalogActivities({ moov: ctx().moov, documents }).planAutoFiles, { accountID });
}

/** The usual upload step for the chosen files: plan, then each upload. */
async function uploadAll(documents: DocumentSource, accountID: string, files: FileToUpload[]): Promise<{ plan: FileUploadPlan; uploaded: UploadedFile[] }> {
  const activities = createFileActivities({ moov: ctx().moov, documents, abandonedRunCloses: async () => [] });
  const plan: FileUploadPlan = await env().run(activities.planFileUploads, { accountID, files });
  const uploaded: UploadedFile[] = [];
  for (const [index, file] of files.entries()) {
    if (plan.files[index]!.existingFileID) continue;
    uploaded.push(await env().run(activities.uploadFile, { accountID, file, plannedAbsentAt: plan.listedAt!, plannedSha256: plan.files[index]!.sha256! }));
  }
  return { plan, uploaded };
}

test('auto chooses exactly the catalog documents that satisfy open requirements, once each, and leaves the rest to the link', async () => {
  const accountID = await seedAccount('Auto Yoga');
  await seedS3(accountID);
  // Moov already rejected these exact EIN-letter bytes: they cannot cover the requirement again.
  const earlier = await uploadAll(s3Source(), accountID, [{ path: 'ein-letter.pdf', filePurpose: 'business_verification', metadata: { requirement_id: 'document.business.tax-id' } }]);
  await ctx().admin.patchFile(accountID, earlier.uploaded[0]!.fileID, { fileStatus: 'rejected', decisionReason: 'illegible' });

  const plan = await planAuto(s3Source(), accountID);

  expect(plan.catalog).toBe('found');
  expect(plan.files).toEqual([
    { path: 'articles.pdf', filePurpose: 'business_verification', metadata: { requirement_id: 'document.business.verification', error_code: 'document-name-mismatch' } },
    { path: 'owner-passport.png', filePurpose: 'representative_verification', metadata: { requirement_id: 'document.representative.verification', representative_id: 'rep-1' } },
  ]);
  expect(plan.coverage).toEqual([
    { capability: 'collect-funds', requirement: 'document.business.verification', kind: 'error', errorCode: 'document-name-mismatch', coveredBy: 'document', path: 'articles.pdf' },
    { capability: 'collect-funds', requirement: 'document.representative.verification', kind: 'due', coveredBy: 'document', path: 'owner-passport.png' },
    { capability: 'collect-funds', requirement: 'business.industry-codes', kind: 'due', coveredBy: 'link' },
    { capability: 'wallet', requirement: 'document.business.verification', kind: 'due', coveredBy: 'document', path: 'articles.pdf' },
    { capability: 'wallet', requirement: 'document.business.tax-id', kind: 'due', coveredBy: 'link', path: 'ein-letter.pdf', note: 'Moov rejected ein-letter.pdf (these exact bytes) before' },
  ]);

  // Uploaded once each; a second auto plan finds them at Moov and uploads nothing.
  const first = await uploadAll(s3Source(), accountID, plan.files);
  expect(first.uploaded.map((u) => u.outcome)).toEqual(['uploaded', 'uploaded']);
  const again = await uploadAll(s3Source(), accountID, (await planAuto(s3Source(), accountID)).files);
  expect(again.uploaded).toEqual([]);
  expect(again.plan.files.map((f) => f.existingFileID)).toEqual(first.uploaded.map((u) => u.fileID));
  const atMoov = (await ctx().admin.state(accountID)).files.map((f) => [f.fileName, f.fileStatus]);
  expect(atMoov).toEqual([
    ['ein-letter.pdf', 'rejected'],
    ['articles.pdf', 'pending'],
    ['owner-passport.png', 'pending'],
  ]);
});

test('without a catalog every open requirement goes to the link, after one read of Moov', async () => {
  const accountID = await seedAccount('No Catalog Yoga');

  const plan = await planAuto(s3Source(), accountID);

  expect(plan).toMatchObject({ catalog: 'none', files: [] });
  expect(plan.coverage.map((c) => c.coveredBy)).toEqual(['link', 'link', 'link', 'link', 'link']);
  expect((await ctx().admin.requests({ accountID })).map((r) => r.route)).toEqual(['GET /accounts/:accountID/capabilities']);
});

test.each([
  { name: 'not JSON', catalog: '{"documents": [', message: 'catalog.json of account ACCOUNT is not JSON' },
  { name: 'a document listed twice', catalog: JSON.stringify({ documents: [CATALOG.documents[0], CATALOG.documents[0]] }), message: 'lists articles.pdf again (first at documents.0): each document once' },
  { name: 'an unknown purpose', catalog: JSON.stringify({ documents: [{ ...CATALOG.documents[0], filePurpose: 'selfie' }] }), message: 'Invalid catalog.json' },
])('a catalog with $name is refused before any Moov call', async ({ catalog, message }) => {
  const accountID = await seedAccount('Broken Catalog Yoga');
  await seedS3(accountID, catalog);

  await expect(planAuto(s3Source(), accountID)).rejects.toThrow(message.replace('ACCOUNT', accountID));
  expect(await ctx().admin.requests({ accountID })).toEqual([]);
});

test('the local folder kind reads the same catalog from FILES_ROOT/<accountID>/catalog.json', async () => {
  const accountID = await seedAccount('Local Auto Yoga');
  const dir = path.join(ctx().filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(DOCUMENTS)) await writeFile(path.join(dir, name), bytes);
  await writeFile(path.join(dir, 'catalog.json'), JSON.stringify(CATALOG));

  const plan = await planAuto(localFolderSource(ctx().filesRoot), accountID);

  expect(plan.files.map((f) => f.path)).toEqual(['articles.pdf', 'owner-passport.png', 'ein-letter.pdf']);
  expect(plan.coverage.filter((c) => c.coveredBy === 'link').map((c) => c.requirement)).toEqual(['business.industry-codes']);
});

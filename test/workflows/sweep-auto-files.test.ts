import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { parseDocumentsUrl } from '../../src/activities/documents/s3-location';
import { formatStatus } from '../../src/cli/format';
import { startRemediation } from '../../src/client';
import type { DocumentCatalog } from '../../src/domain/document-catalog';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { checkerboardPng, demoCsv, minimalPdf } from '../../src/embedded/demo-files';
import type { MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import type { merchantRemediation } from '../../src/workflows';
import { remediationSweep } from '../../src/workflows';
import { TEST_CREDENTIALS, startS3Server, type S3Server } from '../support/s3-server';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { sandboxWorker } from '../support/sandbox-worker';
import { createTimeSkippingEnv } from '../support/temporal-env';

/**
 * The "done when": a sweep over seeded accounts, its template asking for `files: "auto"`,
 * with the worker reading documents from object storage (DOCUMENTS_URL on moto_server) and Moov
 * being the sandbox. Each account gets exactly the catalog documents that satisfy its open
 * requirements, once each, and a resolution link only where no document fits.
 */
let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let moov: MoovClient;
let s3: S3Server;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `auto-files-${randomUUID()}`;
const BUCKET = 'platform-kyc';
const PREFIX = 'merchants';

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
  [env, sandbox, s3] = await Promise.all([createTimeSkippingEnv(), startSandbox({ port: 0, rateLimitRps: 0 }), startS3Server()]);
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
  await s3.createBucket(BUCKET);
  // The worker as `npm run worker` builds it from DOCUMENTS_URL and DOCUMENTS_S3_ENDPOINT: no FILES_ROOT.
  worker = await sandboxWorker(env, { taskQueue, moov, documentsUrl: parseDocumentsUrl(`s3://${BUCKET}/${PREFIX}`), documentsS3Endpoint: s3.endpoint });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await moov?.close();
  await sandbox?.close();
  await s3?.close();
  await env?.teardown();
});

const BYTES: Record<string, Buffer> = {
  'articles.pdf': minimalPdf('Articles of organization'),
  'owner-passport.png': checkerboardPng(8, 8),
  'bank-statement.csv': demoCsv(),
};
const CATALOG: DocumentCatalog = {
  documents: [
    { path: 'articles.pdf', filePurpose: 'business_verification', satisfies: ['document.business.verification'] },
    { path: 'owner-passport.png', filePurpose: 'representative_verification', satisfies: ['document.representative.verification'] },
    { path: 'bank-statement.csv', filePurpose: 'merchant_underwriting', satisfies: ['document.bank-statement'] },
  ],
};

async function seed(displayName: string, requirements: { errors?: { requirement: string; errorCode?: string }[]; currentlyDue?: string[] }, withCatalog = true): Promise<string> {
  const { accountID } = await admin.seedAccount({ displayName, email: `${displayName.toLowerCase().replace(/\W/g, '')}@merchant.test`, capabilities: [{ capability: 'collect-funds', status: 'pending', requirements }] });
  if (withCatalog) {
    for (const [name, bytes] of Object.entries(BYTES)) await s3.put(BUCKET, `${PREFIX}/${accountID}/${name}`, bytes);
    await s3.put(BUCKET, `${PREFIX}/${accountID}/catalog.json`, Buffer.from(JSON.stringify(CATALOG)), 'application/json');
  }
  return accountID;
}

test('a sweep with files "auto" uploads from object storage exactly the documents each account needs, and links only where none fits', async () => {
  await admin.reset();
  const covered = await seed('Covered Co', { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }], currentlyDue: ['document.representative.verification'] });
  const partly = await seed('Partly Co', { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }], currentlyDue: ['business.industry-codes'] });
  const none = await seed('No Docs Co', { currentlyDue: ['individual.ssn'] }, false);

  const summary = await env.client.workflow.execute(remediationSweep, {
    taskQueue,
    workflowId: `sweep-auto-files-${randomUUID()}`,
    args: [{ remediation: { files: 'auto', options: { followThrough: false } } }],
  });

  expect(summary).toMatchObject({ scanned: 3, selected: 3, started: 3 });
  const result = (accountID: string) => env.client.workflow.getHandle<typeof merchantRemediation>(remediationWorkflowId(accountID)).result();
  const atMoov = async (accountID: string) => {
    const state = await admin.state(accountID);
    // Uploads run in parallel: sorted by name, the order they landed in does not matter.
    const files = state.files.map((f) => [f.fileName, f.filePurpose, JSON.parse(f.metadata ?? '{}').requirement_id]).sort((a, b) => a[0].localeCompare(b[0]));
    return { files, links: state.resolutionLinks.length };
  };
  const uploads = async (accountID: string) => (await admin.requests({ accountID, method: 'POST', route: 'POST /accounts/:accountID/files' })).length;

  // Every open requirement has a document: both uploaded, once each, and no link.
  const coveredStatus = await result(covered);
  expect(coveredStatus.requirementCoverage?.map((c) => [c.requirement, c.coveredBy, c.path])).toEqual([
    ['document.business.verification', 'document', 'articles.pdf'],
    ['document.representative.verification', 'document', 'owner-passport.png'],
  ]);
  expect(await atMoov(covered)).toEqual({
    files: [
      ['articles.pdf', 'business_verification', 'document.business.verification'],
      ['owner-passport.png', 'representative_verification', 'document.representative.verification'],
    ],
    links: 0,
  });
  expect(await uploads(covered)).toBe(2);

  // One document fits, the other requirement goes to the link.
  const partlyStatus = await result(partly);
  expect(partlyStatus.requirementCoverage?.map((c) => [c.requirement, c.coveredBy])).toEqual([
    ['document.business.verification', 'document'],
    ['business.industry-codes', 'link'],
  ]);
  expect(await atMoov(partly)).toEqual({ files: [['articles.pdf', 'business_verification', 'document.business.verification']], links: 1 });
  // What `npm run cli -- status` prints of it.
  expect(formatStatus(partlyStatus)).toContain(
    ['requirements:    1 covered by a document, 1 left to the link', '    - error: collect-funds: document.business.verification (document-name-mismatch) → document articles.pdf', '    - due: collect-funds: business.industry-codes → link'].join('\n'),
  );
  expect(await uploads(partly)).toBe(1);

  // No catalog at all: nothing uploaded, the link as before.
  const noneStatus = await result(none);
  expect(noneStatus.requirementCoverage?.map((c) => c.coveredBy)).toEqual(['link']);
  expect(await atMoov(none)).toEqual({ files: [], links: 1 });
});

test('the client API starts a remediation with files "auto" and a link: every requirement has a document, so no link is sent', async () => {
  const accountID = await seed('Onboarding Co', { errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] });

  const started = await startRemediation(env.client, { accountID, files: 'auto', resolutionLink: { recipient: { email: 'owner@onboarding.test' } }, options: { followThrough: false } }, { taskQueue });
  const status = await started.handle.result();

  expect(started.items).toEqual([
    { kind: 'file', key: 'auto', outcome: 'accepted' },
    { kind: 'resolutionLink', key: 'email', outcome: 'accepted' },
  ]);
  expect(status.requirementCoverage?.map((c) => c.coveredBy)).toEqual(['document']);
  expect(status.files.map((f) => [f.path, f.state])).toEqual([['articles.pdf', 'uploaded']]);
  expect(status.resolutionLink).toBeUndefined();
  expect((await admin.state(accountID)).resolutionLinks).toEqual([]);
});

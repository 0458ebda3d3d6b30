import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FormData, request } from 'undici';
import { DEFAULT_CREDENTIALS } from '../../src/sandbox';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT } from '../../src/domain/search-attributes';
import { PATCHES } from '../../src/workflows/patches';
import { SAMPLE_FILES } from '../support/demo-files';
import { MERCHANT_EMAIL, rootFailure, seedMerchant, seedPrincipal, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

const h = useWorkflowHarness();

const FILES = [
  { path: 'passport.pdf', filePurpose: 'identity_verification' as const, metadata: { requirement_id: 'document.individual.verification' } },
  { path: 'utility-bill.png', filePurpose: 'business_verification' as const },
];

test('happy path: files, link, connection and payment link, with a summary of Moov ids and request ids', async () => {
  const accountID = await seedMerchant(h());
  const principalAccountID = await seedPrincipal(h());
  const { code } = await h().admin.seedPaymentLink(accountID);
  const handle = await startRemediationWorkflow(h(), {
    accountID,
    files: FILES,
    resolutionLink: { recipient: { email: MERCHANT_EMAIL } },
    connection: { principalAccountID, allowScopes: ['accounts.read', 'files.write'] },
    paymentLinks: [{ code, update: { amount: { currency: 'USD', value: 1999 } } }],
  });
  const result = await handle.result();

  expect(result.phase).toBe('completed');
  expect(result.files).toEqual([
    expect.objectContaining({ path: 'passport.pdf', fileName: 'passport.pdf', state: 'uploaded', fileStatus: 'pending', requirementID: 'document.individual.verification' }),
    expect.objectContaining({ path: 'utility-bill.png', state: 'uploaded' }),
  ]);
  for (const file of result.files) {
    expect(file.fileID).toMatch(/^[0-9a-f-]{36}$/);
    expect(file.requestId).toMatch(/\S+/);
  }
  expect(result.resolutionLink).toMatchObject({ outcome: 'created', status: 'active' });
  expect(result.resolutionLink?.requestId).toMatch(/\S+/);
  expect(result.connection).toMatchObject({ principalAccountID, outcome: 'shared' });
  expect(result.paymentLinks).toEqual([expect.objectContaining({ code, state: 'updated' })]);
  expect(result.lastError).toBeUndefined();

  const state = await h().admin.state(accountID);
  expect(state.files.map((f) => [f.fileName, f.filePurpose]).sort()).toEqual([
    ['passport.pdf', 'identity_verification'],
    ['utility-bill.png', 'business_verification'],
  ]);
  // The caller's metadata, plus the content hash Moov keeps in `comment` (the file's identity for dedupe).
  expect(JSON.parse(state.files.find((f) => f.fileName === 'passport.pdf')!.metadata!)).toEqual({
    requirement_id: 'document.individual.verification',
    comment: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
  });
  expect(state.resolutionLinks).toEqual([expect.objectContaining({ code: result.resolutionLink!.code, recipient: MERCHANT_EMAIL })]);
  expect(state.connections).toEqual([expect.objectContaining({ principalAccountID, allowScopes: ['accounts.read', 'files.write'] })]);
  expect(state.paymentLinks[0]!.amount).toEqual({ currency: 'USD', value: 1999 });

  const description = await handle.describe();
  expect(description.typedSearchAttributes.get(MOOV_ACCOUNT_ID)).toBe(accountID);
  expect(description.typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('completed');
  // When the phase was set: by the workflow's clock, at its last phase change, before the run closed.
  const phaseChangedAt = description.typedSearchAttributes.get(REMEDIATION_PHASE_CHANGED_AT);
  expect(phaseChangedAt).toBeInstanceOf(Date);
  expect(phaseChangedAt!.getTime()).toBeGreaterThanOrEqual(description.startTime.getTime());
  expect(phaseChangedAt!.getTime()).toBeLessThanOrEqual(description.closeTime!.getTime());
  expect(phaseChangedAt!.toISOString()).toBe(result.finishedAt);

  // Every phase upsert carries its time (the same upsert), behind the phase-changed-at marker.
  const events = (await handle.fetchHistory()).events ?? [];
  const patchIds = events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => e.markerRecordedEventAttributes!.details!['patch-data']!.payloads!.map((p) => (JSON.parse(Buffer.from(p.data!).toString()) as { id: string }).id));
  expect(patchIds).toContain(PATCHES.phaseChangedAt);
  const upserts = events.map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields).filter((fields) => fields?.[REMEDIATION_PHASE.name]);
  expect(upserts.length).toBeGreaterThanOrEqual(6); // starting, files, connection, payment links, link, completed
  for (const fields of upserts) expect(Object.keys(fields!).sort()).toEqual(expect.arrayContaining([REMEDIATION_PHASE.name, REMEDIATION_PHASE_CHANGED_AT.name]));

  // Task-queue priority follows the steps: the further along, the sooner a backlog runs it.
  const scheduled = ((await handle.fetchHistory()).events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a != null)
    .map((a) => [a.activityType?.name, a.priority?.priorityKey]);
  expect(scheduled).toEqual([
    ['planFileUploads', 5],
    ['uploadFile', 4],
    ['uploadFile', 4],
    ['shareConnection', 3],
    ['updatePaymentLink', 2],
    ['createResolutionLink', 1],
  ]);
});

test('uploads are idempotent: a file Moov already holds is not uploaded again', async () => {
  const accountID = await seedMerchant(h());
  const first = await (await startRemediationWorkflow(h(), { accountID, files: FILES })).result();
  const second = await (await startRemediationWorkflow(h(), { accountID, files: FILES })).result();

  expect(second.files.map((f) => f.state)).toEqual(['already-present', 'already-present']);
  expect(second.files.map((f) => f.fileID)).toEqual(first.files.map((f) => f.fileID));
  expect((await h().admin.state(accountID)).files).toHaveLength(2);
  expect(await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/files' })).toHaveLength(2);
});

test('an upload whose answer was lost is not repeated: the retry finds the stored file', async () => {
  const accountID = await seedMerchant(h());
  await h().admin.addFault({ route: 'POST /accounts/:accountID/files', accountID, sequence: [{ applyThenFail: 'reset' }] });

  const result = await (await startRemediationWorkflow(h(), { accountID, files: [FILES[0]!] })).result();

  expect(result.files[0]).toMatchObject({ state: 'already-present' });
  expect((await h().admin.state(accountID)).files).toHaveLength(1);
  expect(await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/files' })).toHaveLength(1);
});

test('a first upload attempt trusts the plan: one list of the account files, then one request per upload', async () => {
  const accountID = await seedMerchant(h());
  await h().admin.addFault({ route: 'POST /accounts/:accountID/files', accountID, sequence: [{}, { status: 503 }] });

  const handle = await startRemediationWorkflow(h(), { accountID, files: FILES });
  const result = await handle.result();

  expect(result.files.map((f) => f.state)).toEqual(['uploaded', 'uploaded']);
  // The plan lists once and first attempts list nothing. The upload that met the 503 (an answer:
  // Moov is done with it) is retried once: it lists once, finds nothing and uploads.
  const retries = h().attempts.filter((a) => a.workflowId === handle.workflowId && a.activityType === 'uploadFile' && a.attempt > 1);
  expect(retries).toHaveLength(1);
  expect(await h().admin.requests({ accountID, route: 'GET /accounts/:accountID/files' })).toHaveLength(1 + 1);
  expect((await h().admin.requests({ accountID, route: 'POST /accounts/:accountID/files' })).map((r) => r.status).sort()).toEqual([200, 200, 503]);
});

async function uploadDirectly(accountID: string, name: string): Promise<void> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(`id,n\n${name},1\n`)], { type: 'text/csv' }), name);
  form.set('filePurpose', 'account_requirement');
  const auth = Buffer.from(`${DEFAULT_CREDENTIALS.publicKey}:${DEFAULT_CREDENTIALS.secretKey}`).toString('base64');
  const response = await request(`${h().sandbox.url}/accounts/${accountID}/files`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Basic ${auth}` },
  });
  await response.body.dump();
  expect(response.statusCode).toBe(200);
}

test('the 50-file limit is checked before the first upload: nothing is half-done', async () => {
  const accountID = await seedMerchant(h());
  for (let i = 0; i < 49; i++) await uploadDirectly(accountID, `existing-${i}.csv`);

  const failure = await rootFailure((await startRemediationWorkflow(h(), { accountID, files: FILES })).result());

  expect(failure.type).toBe('MoovFileLimitExceeded');
  expect(failure.message).toMatch(/49 files.*2 more.*50/);
  expect((await h().admin.state(accountID)).files).toHaveLength(49);
});

describe('files are checked before any call to Moov', () => {
  test.each([
    {
      name: 'a symlink that leaves FILES_ROOT',
      prepare: async (dir: string) => symlink('/etc/hostname', path.join(dir, 'escape.pdf')),
      file: { path: 'escape.pdf', filePurpose: 'identity_verification' },
      message: /outside FILES_ROOT\/[^/]+\//,
    },
    {
      name: 'PDF bytes behind a .png name',
      prepare: async (dir: string) => writeFile(path.join(dir, 'fake.png'), SAMPLE_FILES['passport.pdf']!),
      file: { path: 'fake.png', filePurpose: 'identity_verification' },
      message: /says png but the content is pdf/,
    },
    {
      name: 'an empty file',
      prepare: async (dir: string) => writeFile(path.join(dir, 'empty.csv'), ''),
      file: { path: 'empty.csv', filePurpose: 'account_requirement' },
      message: /empty/,
    },
    {
      name: 'a file that does not exist',
      prepare: async (dir: string) => mkdir(dir, { recursive: true }),
      file: { path: 'missing/nowhere.pdf', filePurpose: 'identity_verification' },
      message: /cannot be read below FILES_ROOT\/[^/]+\/ \(ENOENT\)/,
    },
  ])('$name is refused with a clear message and no request', async ({ prepare, file, message }) => {
    const accountID = await seedMerchant(h());
    await prepare(path.join(h().filesRoot, accountID));
    // A valid file first: the bad one must stop the whole batch, not just itself.
    const failure = await rootFailure(
      (await startRemediationWorkflow(h(), { accountID, files: [FILES[0]!, file as (typeof FILES)[number]] })).result(),
    );

    expect(failure.type).toBe('InvalidRemediationInput');
    expect(failure.message).toMatch(message);
    expect(await h().admin.requests({ accountID })).toEqual([]);
  });
});

test.each([
  { name: 'email and phone together', input: { resolutionLink: { recipient: { email: 'a@b.test', phone: { number: '5555555555', countryCode: '1' } } } }, message: /either email or phone, not both/ },
  { name: 'a path that climbs out with ..', input: { files: [{ path: '../secrets.pdf', filePurpose: 'identity_verification' }] }, message: /must not contain '\.\.'/ },
  { name: 'an absolute path', input: { files: [{ path: '/etc/passwd', filePurpose: 'identity_verification' }] }, message: /relative to FILES_ROOT/ },
  { name: 'an unknown scope', input: { connection: { principalAccountID: 'p', allowScopes: ['everything.write'] } }, message: /allowScopes\.0/ },
  { name: 'nothing to do', input: {}, message: /nothing to do/ },
])('invalid input ($name) fails the workflow at once, before any call', async ({ input, message }) => {
  const accountID = await seedMerchant(h());
  const failure = await rootFailure((await startRemediationWorkflow(h(), { accountID, ...input } as never)).result());

  expect(failure.type).toBe('InvalidRemediationInput');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(/^Invalid remediation input: /);
  expect(failure.message).toMatch(message);
  expect(await h().admin.requests({ accountID })).toEqual([]);
});

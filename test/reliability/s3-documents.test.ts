import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createHash, randomBytes } from 'node:crypto';
import type { DocumentSource, InspectedDocument, UploadBody } from '../../src/activities/documents/document-source';
import { s3BucketSource } from '../../src/activities/documents/s3-bucket';
import { createDocumentsS3Client } from '../../src/activities/documents/s3-client';
import { parseDocumentsUrl } from '../../src/activities/documents/s3-location';
import { createFileActivities } from '../../src/activities/file-activities';
import type { FileUploadPlan, UploadFileInput, UploadedFile } from '../../src/domain/activity-contracts';
import type { FileToUpload } from '../../src/domain/remediation-input';
import { minimalPdf } from '../../src/embedded/demo-files';
import { useActivitySandbox } from '../support/activity-sandbox';
import { useS3Server } from '../support/s3-server';

/**
 * Documents from S3-compatible object storage, against a real S3 protocol server on loopback
 * (moto_server, test/support/s3-server.ts) and the Moov sandbox over HTTP: the upload streams,
 * every refusal happens before any Moov call, and what the worker asked of storage is read from
 * the storage server's own request log.
 */
const ctx = useActivitySandbox();
const BUCKET = 'kyc-documents';
const VERSIONED = 'kyc-documents-versioned';
const PREFIX = 'platform/merchants';
const server = useS3Server([{ name: BUCKET }, { name: VERSIONED, versioned: true }]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A PDF of `size` bytes: a real header, then filler (the sandbox and Moov sniff the head). */
function pdfOfSize(size: number): Buffer {
  const head = minimalPdf('Articles of organization');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

/** The worker's source, built as the worker builds it (credentials from the environment chain). */
function source(bucket = BUCKET): DocumentSource {
  return s3BucketSource({ client: createDocumentsS3Client({ endpoint: server().endpoint, region: 'us-east-1' }), location: parseDocumentsUrl(`s3://${bucket}/${PREFIX}`) });
}

/** Counts the chunks the upload body yields, and the largest: our own seam, the S3 client and undici untouched. */
function observed(inner: DocumentSource) {
  const seen = { chunks: 0, largest: 0, bytes: 0 };
  const wrapped: DocumentSource = {
    kind: inner.kind,
    inspect: (accountID, file) => inner.inspect(accountID, file),
    readCatalog: (accountID) => inner.readCatalog(accountID),
    recheck: (accountID, file, planned) => inner.recheck!(accountID, file, planned),
    async open(accountID, file, inspected): Promise<UploadBody> {
      const body = await inner.open(accountID, file, inspected);
      if (body.kind !== 'stream') return body;
      const bytes = body.part.bytes;
      async function* counted() {
        for await (const chunk of bytes) {
          seen.chunks += 1;
          seen.bytes += chunk.byteLength;
          seen.largest = Math.max(seen.largest, chunk.byteLength);
          yield chunk;
        }
      }
      return { kind: 'stream', part: { ...body.part, bytes: counted() } };
    },
  };
  return { wrapped, seen };
}

function activities(documents: DocumentSource) {
  // No Temporal server here: no earlier runs (terminated-mid-upload.test.ts covers that check for real).
  return createFileActivities({ moov: ctx().moov, documents, abandonedRunCloses: async () => [] });
}

function env() {
  return new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
}

function plan(documents: DocumentSource, accountID: string, files: FileToUpload[]): Promise<FileUploadPlan> {
  return env().run(activities(documents).planFileUploads, { accountID, files });
}

function upload(documents: DocumentSource, input: UploadFileInput): Promise<UploadedFile> {
  return env().run(activities(documents).uploadFile, input);
}

async function seed(name: string): Promise<string> {
  return (await ctx().admin.seedAccount({ displayName: name })).accountID;
}

const keyOf = (accountID: string, path: string) => `${PREFIX}/${accountID}/${path}`;
/** The worker's reads of one object (the test's own seeding PUTs left out). */
const storageRequests = async (bucket: string, key: string) => (await server().requests()).filter((line) => line.split(' ')[1] === `/${bucket}/${key}` && !line.startsWith('PUT '));
const moovRequests = async (accountID: string) => ctx().admin.requests({ accountID });

test('the storage log read right after an answer holds that request (the assertions below read it so)', async () => {
  const key = keyOf('log-check', 'probe.pdf');
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    await server().admin.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).catch(() => undefined);
    expect((await storageRequests(BUCKET, key)).length).toBe(attempt);
  }
});

test('a 9.9 MB object streams from storage to Moov in chunks, with its SHA-256 computed on the way', async () => {
  const accountID = await seed('Streaming Yoga');
  const bytes = pdfOfSize(Math.round(9.9 * 1000 * 1000));
  await server().put(BUCKET, keyOf(accountID, 'articles.pdf'), bytes, 'application/pdf');
  const file: FileToUpload = { path: 'articles.pdf', filePurpose: 'business_verification', metadata: { requirement_id: 'document.business.verification' } };
  const { wrapped, seen } = observed(source());

  // The figure for docs/remediation.md: the process's peak RSS and Buffer memory while the object
  // streams (the sandbox shares the process), after a small document has loaded the SDK's modules.
  await server().put(BUCKET, keyOf(accountID, 'warm-up.pdf'), pdfOfSize(2000));
  await plan(wrapped, accountID, [{ path: 'warm-up.pdf', filePurpose: 'business_verification' }]);
  const before = process.memoryUsage();
  const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  }, 5);
  const planned = await plan(wrapped, accountID, [file]);
  const uploaded = await upload(wrapped, { accountID, file, plannedAbsentAt: planned.listedAt!, plannedSha256: planned.files[0]!.sha256!, plannedVersion: planned.files[0]!.version! });
  clearInterval(sampler);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    `9.9 MB object: ${seen.chunks} chunks, largest ${seen.largest} bytes; RSS ${mib(before.rss)} MiB before, peak +${mib(peak.rss - before.rss)} MiB; Buffer memory peak +${mib(peak.arrayBuffers - before.arrayBuffers)} MiB`,
  );

  expect(planned.files[0]).toMatchObject({ sha256: sha256(bytes), sizeBytes: bytes.length, fileName: 'articles.pdf' });
  expect(uploaded.outcome).toBe('uploaded');
  const stored = (await ctx().admin.state(accountID)).files;
  expect(stored).toEqual([expect.objectContaining({ fileID: uploaded.fileID, contentSHA256: sha256(bytes), filePurpose: 'business_verification' })]);
  expect(JSON.parse(stored[0]!.metadata!)).toEqual({ requirement_id: 'document.business.verification', comment: `sha256:${sha256(bytes)}` });
  // Never one buffer of the whole object: the body reached Moov as many pieces, none near its size.
  expect(seen.bytes).toBe(bytes.length);
  expect(seen.chunks).toBeGreaterThan(10);
  expect(seen.largest).toBeLessThan(1024 * 1024);
  // Storage saw a HEAD before each download, and the object read twice: the plan's hash, the upload's stream.
  expect((await storageRequests(BUCKET, keyOf(accountID, 'articles.pdf'))).map((line) => line.split(' ')[0])).toEqual(['HEAD', 'GET', 'HEAD', 'GET']);
  expect(planned.files[0]!.version).toMatch(/^etag:"[0-9a-f]{32}"$/);
});

test('a missing key is refused, naming the key below the account prefix, before any Moov call', async () => {
  const accountID = await seed('Missing Yoga');
  const before = await moovRequests(accountID);

  await expect(plan(source(), accountID, [{ path: 'passport.pdf', filePurpose: 'identity_verification' }])).rejects.toThrow(
    `files: passport.pdf below DOCUMENTS_URL/${accountID}/: no such object (HEAD answered 404). Nothing was uploaded.`,
  );
  expect(await moovRequests(accountID)).toEqual(before);
  expect(await storageRequests(BUCKET, keyOf(accountID, 'passport.pdf'))).toEqual([`HEAD /${BUCKET}/${keyOf(accountID, 'passport.pdf')} 404`]);
});

test('an object over Moov’s 10 MB is refused after a HEAD, never downloaded, and nothing of the plan is uploaded', async () => {
  const accountID = await seed('Large Yoga');
  await server().put(BUCKET, keyOf(accountID, 'small.pdf'), pdfOfSize(2000));
  await server().put(BUCKET, keyOf(accountID, 'huge.pdf'), pdfOfSize(10 * 1024 * 1024 + 1));
  const files: FileToUpload[] = [
    { path: 'small.pdf', filePurpose: 'business_verification' },
    { path: 'huge.pdf', filePurpose: 'business_verification' },
  ];

  await expect(plan(source(), accountID, files)).rejects.toThrow(
    `files: huge.pdf is ${10 * 1024 * 1024 + 1} bytes; Moov accepts at most ${10 * 1024 * 1024} bytes (10 MB). Not downloaded; nothing was uploaded.`,
  );
  expect(await storageRequests(BUCKET, keyOf(accountID, 'huge.pdf'))).toEqual([`HEAD /${BUCKET}/${keyOf(accountID, 'huge.pdf')} 200`]);
  expect(await moovRequests(accountID)).toEqual([]);
  expect((await ctx().admin.state(accountID)).files).toEqual([]);
});

test.each([
  { name: 'another account’s prefix', path: '../OTHER/passport.pdf' },
  { name: 'a dot segment', path: './passport.pdf' },
  { name: 'an empty segment', path: 'ids//passport.pdf' },
  { name: 'a backslash', path: 'ids\\..\\..\\OTHER\\passport.pdf' },
])('a forged key ($name) is refused before storage or Moov is asked', async ({ path }) => {
  const accountID = await seed('Forged Yoga');
  const other = await seed('Victim Yoga');
  const forged = path.replace('OTHER', other);
  await server().put(BUCKET, keyOf(other, 'passport.pdf'), pdfOfSize(3000));
  const storageBefore = (await server().requests()).length;

  await expect(plan(source(), accountID, [{ path: forged, filePurpose: 'identity_verification' }])).rejects.toThrow(
    `files: ${forged} is not a key inside DOCUMENTS_URL/${accountID}/`,
  );
  expect((await server().requests()).length).toBe(storageBefore);
  expect(await moovRequests(accountID)).toEqual([]);
});

test.each([
  { name: 'bytes that are not the extension’s type', key: 'selfie.pdf', body: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]), contentType: undefined, message: 'fileName: extension of "selfie.pdf" says pdf but the content is png' },
  { name: 'a stored Content-Type the bytes contradict', key: 'statement.pdf', body: () => pdfOfSize(2000), contentType: 'image/png', message: "the object's Content-Type is image/png but the content is pdf" },
  { name: 'binary bytes with no known signature', key: 'ledger.csv', body: () => Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(16, 0)]), contentType: undefined, message: 'is not a csv, jpeg, pdf or png file' },
])('$name: refused before any Moov call', async ({ key, body, contentType, message }) => {
  const accountID = await seed('Typed Yoga');
  await server().put(BUCKET, keyOf(accountID, key), body(), contentType);

  await expect(plan(source(), accountID, [{ path: key, filePurpose: 'merchant_underwriting' }])).rejects.toThrow(message);
  expect(await moovRequests(accountID)).toEqual([]);
});

test.each([
  { name: 'ETag (unversioned bucket)', bucket: BUCKET, status: 412 },
  { name: 'version ID (versioned bucket)', bucket: VERSIONED, status: 200 },
])('an object replaced after the plan is never sent as the planned document: pinned by $name', async ({ bucket }) => {
  const accountID = await seed('Changing Yoga');
  const first = pdfOfSize(4000);
  await server().put(bucket, keyOf(accountID, 'license.pdf'), first);
  const file: FileToUpload = { path: 'license.pdf', filePurpose: 'identity_verification' };
  const src = source(bucket);
  const planned: InspectedDocument = await env().run(() => src.inspect(accountID, file));
  await server().put(bucket, keyOf(accountID, 'license.pdf'), pdfOfSize(4000));

  const opened: Promise<Buffer> = env().run(async () => {
    const body = await src.open(accountID, file, planned);
    if (body.kind !== 'stream') throw new Error('expected a stream');
    const chunks: Uint8Array[] = [];
    for await (const chunk of body.part.bytes) chunks.push(chunk);
    return Buffer.concat(chunks);
  });
  if (bucket === VERSIONED) {
    // The version the plan saw is still there: exactly those bytes are read, not the newer ones.
    expect(sha256(await opened)).toBe(sha256(first));
  } else {
    await expect(opened).rejects.toThrow(`files: license.pdf below DOCUMENTS_URL/${accountID}/: the object changed since it was planned (412 on GET); plan again`);
  }
});

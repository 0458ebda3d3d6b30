import { mkdtemp, mkdir, rm, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { contentHashOf, sha256OfFile, withContentHash } from '../../src/moov/file-content-hash';
import { FileSourceError, MAX_UPLOAD_BYTES, assertPathAgreesWithName, openFileSource, sniffFileType } from '../../src/moov/file-source';

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(24, 2)]);
const CSV = Buffer.from('name,amount\nyoga,4928\n', 'utf8');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moov-file-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('sniffFileType', () => {
  it.each([
    ['pdf', PDF],
    ['png', PNG],
    ['jpeg', JPEG],
    ['csv', CSV],
  ])('recognises %s', (type, bytes) => {
    expect(sniffFileType(bytes)).toBe(type);
  });

  it('refuses binary content without a known signature', () => {
    expect(sniffFileType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toBeUndefined();
  });

  it('refuses empty content', () => {
    expect(sniffFileType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('openFileSource', () => {
  it.each([
    ['doc.pdf', PDF, 'application/pdf'],
    ['logo.PNG', PNG, 'image/png'],
    ['id.jpg', JPEG, 'image/jpeg'],
    ['id.jpeg', JPEG, 'image/jpeg'],
    ['data.csv', CSV, 'text/csv'],
  ])('accepts %s as a disk-backed blob of the right type', async (name, bytes, type) => {
    const source = await openFileSource(await put(name, bytes));
    expect(source.contentType).toBe(type);
    expect(source.fileName).toBe(name);
    expect(source.sizeBytes).toBe(bytes.length);
    expect(Buffer.from(await source.blob.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('uses the given fileName and checks its extension instead of the path', async () => {
    const path = await put('upload.bin', PDF);
    const source = await openFileSource(path, 'passport.pdf');
    expect(source.fileName).toBe('passport.pdf');
    await expect(openFileSource(path, 'passport.png')).rejects.toThrow('fileName: extension of "passport.png" says png but the content is pdf');
  });

  it('refuses content that disagrees with the extension', async () => {
    await expect(openFileSource(await put('fake.pdf', PNG))).rejects.toThrow('says pdf but the content is png');
    await expect(openFileSource(await put('fake.csv', JPEG))).rejects.toThrow('says csv but the content is jpeg');
  });

  it('refuses a .csv with NUL bytes (binary disguised as text)', async () => {
    await expect(openFileSource(await put('nul.csv', Buffer.from('a,b\n\0\0\0', 'latin1')))).rejects.toThrow('not a csv, jpeg, pdf or png');
  });

  it('refuses unsupported extensions', async () => {
    await expect(openFileSource(await put('notes.txt', CSV))).rejects.toThrow('fileName: extension must be one of .csv, .jpg, .jpeg, .pdf, .png (got ".txt")');
    await expect(openFileSource(await put('noext', CSV))).rejects.toThrow('(got "none")');
  });

  it('refuses empty files and files over 10 MB', async () => {
    await expect(openFileSource(await put('empty.csv', Buffer.alloc(0)))).rejects.toThrow('is empty');
    const big = await put('big.pdf', PDF);
    await truncate(big, MAX_UPLOAD_BYTES + 1);
    await expect(openFileSource(big)).rejects.toThrow(`is ${MAX_UPLOAD_BYTES + 1} bytes; Moov accepts at most ${MAX_UPLOAD_BYTES} bytes`);
  });

  it('accepts a file of exactly 10 MB', async () => {
    const edge = await put('edge.pdf', PDF);
    await truncate(edge, MAX_UPLOAD_BYTES);
    await expect(openFileSource(edge)).resolves.toMatchObject({ sizeBytes: MAX_UPLOAD_BYTES });
  });

  it('refuses directories and missing files', async () => {
    await mkdir(join(dir, 'folder.pdf'), { recursive: true });
    await expect(openFileSource(join(dir, 'folder.pdf'))).rejects.toThrow('is not a regular file');
    await expect(openFileSource(join(dir, 'missing.pdf'))).rejects.toThrow('(ENOENT)');
  });

  it('refuses file names over 64 characters or with separators', async () => {
    const path = await put('ok.pdf', PDF);
    await expect(openFileSource(path, `${'a'.repeat(61)}.pdf`)).rejects.toThrow('fileName: must be at most 64 characters (got 65)');
    await expect(openFileSource(path, `${'a'.repeat(60)}.pdf`)).resolves.toBeDefined();
    await expect(openFileSource(path, 'dir/x.pdf')).rejects.toThrow('must not contain path separators');
  });

  it('throws FileSourceError, which the client maps to invalid-request', async () => {
    await expect(openFileSource(join(dir, 'missing.pdf'))).rejects.toBeInstanceOf(FileSourceError);
  });
});

describe('assertPathAgreesWithName (documents named by their path, as below FILES_ROOT)', () => {
  it.each([
    ['.env', 'a.csv', 'path: extension of ".env" must be one of .csv, .jpg, .jpeg, .pdf, .png (got "none")'],
    ['notes.txt', 'notes.csv', 'path: extension of "notes.txt" must be one of .csv, .jpg, .jpeg, .pdf, .png (got ".txt")'],
    ['scan.png', 'scan.pdf', 'fileName: path "scan.png" says png but fileName "scan.pdf" says pdf'],
  ])('refuses %s sent as %s', (filePath, fileName, message) => {
    expect(() => assertPathAgreesWithName(filePath, fileName)).toThrow(new FileSourceError(message));
  });

  it.each([
    ['a/passport.pdf', undefined],
    ['id.JPG', 'id.jpeg'],
    ['statement.csv', 'march.csv'],
  ])('accepts %s sent as %s', (filePath, fileName) => {
    expect(() => assertPathAgreesWithName(filePath, fileName)).not.toThrow();
  });
});

describe('content hash in Moov metadata', () => {
  const HASH = 'a'.repeat(64);

  it('hashes a file by streaming it', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0x61);
    expect(await sha256OfFile(await put('big.csv', bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('adds the hash to the comment, keeping the caller\'s comment and other keys', () => {
    expect(withContentHash(undefined, HASH)).toEqual({ comment: `sha256:${HASH}` });
    expect(withContentHash({ requirement_id: 'r', comment: 'signed copy' }, HASH)).toEqual({ requirement_id: 'r', comment: `signed copy\nsha256:${HASH}` });
  });

  it('replaces a hash the caller\'s comment already carries (a comment copied from another file)', () => {
    expect(withContentHash({ comment: `copied\nsha256:${'b'.repeat(64)}` }, HASH)).toEqual({ comment: `copied\nsha256:${HASH}` });
  });

  it.each([
    [JSON.stringify({ comment: `sha256:${HASH}` }), HASH],
    [JSON.stringify({ comment: `note\nsha256:${HASH}` }), HASH],
    [JSON.stringify({ comment: 'no hash here' }), undefined],
    [JSON.stringify({ comment: `sha256:${HASH}0` }), undefined],
    ['not json', undefined],
    [undefined, undefined],
  ])('reads the hash back from metadata %s', (metadata, expected) => {
    expect(contentHashOf({ ...(metadata !== undefined && { metadata }) })).toBe(expected);
  });
});

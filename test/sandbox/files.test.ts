import { SAMPLES, useSandbox, uploadForm } from './support/helpers';

const MB = 1024 * 1024;

describe('sandbox: file uploads', () => {
  const ctx = useSandbox({ seedMerchant: true });
  const path = () => `/accounts/${ctx.merchant}/files`;
  const upload = (form: FormData) => ctx.sb.api('POST', path(), { body: form });

  it('stores a PDF and answers 200 FileDetails with the metadata string as given', async () => {
    const metadata = JSON.stringify({ requirement_id: 'document.business.verification', comment: 'articles' });
    const res = await upload(uploadForm({ name: 'articles.pdf', bytes: SAMPLES.pdf }, { filePurpose: 'business_verification', metadata }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fileID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      fileName: 'articles.pdf',
      accountID: ctx.merchant,
      filePurpose: 'business_verification',
      fileStatus: 'pending',
      metadata,
      fileSizeBytes: SAMPLES.pdf.length,
      createdOn: expect.any(String),
      updatedOn: expect.any(String),
    });
    const list = await ctx.sb.api('GET', path());
    expect(list.body).toEqual([res.body]);
    expect((await ctx.sb.api('GET', `${path()}/${res.body.fileID}`)).body).toEqual(res.body);
    expect((await ctx.sb.api('GET', `${path()}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it.each([
    ['png', 'logo.png'],
    ['jpeg', 'id.jpg'],
    ['jpeg', 'id.jpeg'],
    ['csv', 'owners.csv'],
    ['pdf', 'no-extension'],
  ] as const)('accepts %s content named %s', async (kind, name) => {
    const res = await upload(uploadForm({ name, bytes: SAMPLES[kind] }));
    expect(res.status).toBe(200);
    expect(res.body.fileName).toBe(name);
  });

  it('judges type by content: a .png name with PDF bytes is refused with 422', async () => {
    const res = await upload(uploadForm({ name: 'scan.png', bytes: SAMPLES.pdf }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/pdf/);
    expect(res.body.file).toBe(res.body.error);
    expect((await ctx.sb.api('GET', path())).body).toEqual([]);
  });

  it.each([
    ['an empty file', { name: 'empty.pdf', bytes: Buffer.alloc(0) }, 'file'],
    ['binary that is none of the types', { name: 'blob', bytes: Buffer.from([0x47, 0x49, 0x46, 0x38, 0x00, 0x01]) }, 'file'],
    ['an unsupported extension', { name: 'notes.txt', bytes: SAMPLES.csv }, 'file'],
    ['a name over 64 characters', { name: `${'a'.repeat(61)}.pdf`, bytes: SAMPLES.pdf }, 'FileName'],
  ])('refuses %s with 422', async (_name, file, field) => {
    const res = await upload(uploadForm(file));
    expect(res.status).toBe(422);
    expect(typeof res.body.error).toBe('string');
    expect(res.body[field]).toBe(res.body.error);
  });

  it('accepts a 64-character name', async () => {
    expect((await upload(uploadForm({ name: `${'a'.repeat(60)}.pdf`, bytes: SAMPLES.pdf }))).status).toBe(200);
  });

  it.each([
    ['missing filePurpose', {}, 'filePurpose'],
    ['an unknown filePurpose', { filePurpose: 'selfie' }, 'filePurpose'],
    ['metadata that is not JSON', { filePurpose: 'identity_verification', metadata: '{oops' }, 'metadata'],
    ['a metadata key outside the allowed set', { filePurpose: 'identity_verification', metadata: '{"color":"red"}' }, 'metadata'],
    ['a non-string metadata value', { filePurpose: 'identity_verification', metadata: '{"comment":5}' }, 'metadata'],
  ])('refuses %s with 422', async (_name, fields, field) => {
    const res = await upload(uploadForm({ name: 'id.pdf', bytes: SAMPLES.pdf }, fields as Record<string, string>));
    expect(res.status).toBe(422);
    expect(res.body[field]).toEqual(expect.any(String));
  });

  it('refuses a request without a file part, or with two', async () => {
    expect((await upload(uploadForm(undefined))).status).toBe(422);
    const form = uploadForm({ name: 'a.pdf', bytes: SAMPLES.pdf });
    form.append('file', new Blob([SAMPLES.pdf]), 'b.pdf');
    const two = await upload(form);
    expect(two.status).toBe(422);
    expect((await ctx.sb.api('GET', path())).body).toEqual([]);
  });

  it('enforces the 10 MB limit while streaming: exactly 10 MB passes, one byte more is 422', async () => {
    const exact = Buffer.alloc(10 * MB, 0x20);
    SAMPLES.pdf.copy(exact);
    const ok = await upload(uploadForm({ name: 'big.pdf', bytes: exact }));
    expect(ok.status).toBe(200);
    expect(ok.body.fileSizeBytes).toBe(10 * MB);

    const over = Buffer.alloc(10 * MB + 1, 0x20);
    SAMPLES.pdf.copy(over);
    const res = await upload(uploadForm({ name: 'bigger.pdf', bytes: over }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/maximum size/);
    // The connection survives: the next call on the same keep-alive pool works.
    expect((await ctx.sb.api('GET', path())).body).toHaveLength(1);
  });

  it('allows 50 files per account and refuses the 51st with 422', async () => {
    for (let i = 0; i < 50; i++) {
      const res = await upload(uploadForm({ name: `doc-${i}.csv`, bytes: SAMPLES.csv }));
      expect(res.status).toBe(200);
    }
    const res = await upload(uploadForm({ name: 'doc-50.csv', bytes: SAMPLES.csv }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/50/);
    expect((await ctx.sb.api('GET', path())).body).toHaveLength(50);
  });

  it('answers 400 for a body that is not multipart and for broken multipart framing', async () => {
    const json = await ctx.sb.api('POST', path(), { body: { file: 'x' } });
    expect(json.status).toBe(400);
    expect(typeof json.body.error).toBe('string');
    const broken = await ctx.sb.api('POST', path(), {
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 no closing boundary',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 404 for an unknown account', async () => {
    const res = await ctx.sb.api('POST', '/accounts/00000000-0000-4000-8000-000000000000/files', {
      body: uploadForm({ name: 'a.pdf', bytes: SAMPLES.pdf }),
    });
    expect(res.status).toBe(404);
  });

  it('lets the admin API decide a file', async () => {
    const file = (await upload(uploadForm({ name: 'id.png', bytes: SAMPLES.png }))).body;
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    const decided = await ctx.sb.admin('PATCH', `/_sandbox/accounts/${ctx.merchant}/files/${file.fileID}`, {
      fileStatus: 'rejected',
      decisionReason: 'document illegible',
    });
    expect(decided).toMatchObject({ fileStatus: 'rejected', decisionReason: 'document illegible' });
    expect(Date.parse(decided.updatedOn)).toBeGreaterThan(Date.parse(file.updatedOn));
    expect((await ctx.sb.api('GET', `${path()}/${file.fileID}`)).body.fileStatus).toBe('rejected');
    expect((await ctx.sb.adminRaw('PATCH', `/_sandbox/accounts/${ctx.merchant}/files/${file.fileID}`, { fileStatus: 'lost' })).status).toBe(422);
  });
});

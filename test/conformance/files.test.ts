import { APIError, FileValidationError, GenericError } from '@moovio/sdk/models/errors';
import { SAMPLES, sdkError, useSdkSandbox } from './helpers';

describe('conformance (@moovio/sdk): files', () => {
  const ctx = useSdkSandbox({ seedMerchant: true });

  it('accepts the SDK multipart upload ({fileName, content}) and the SDK parses FileDetails', async () => {
    const res = await ctx.moov.files.upload({
      accountID: ctx.merchant,
      fileUploadRequestMultiPart: {
        file: { fileName: 'articles.pdf', content: new Uint8Array(SAMPLES.pdf) },
        filePurpose: 'business_verification',
        metadata: { comment: 'articles of incorporation', representativeId: 'c63ab175-251d-497e-a267-7346d087e180' },
      },
    });
    const file = res.result;
    expect(file).toMatchObject({
      fileName: 'articles.pdf',
      accountID: ctx.merchant,
      filePurpose: 'business_verification',
      fileStatus: 'pending',
      fileSizeBytes: SAMPLES.pdf.length,
    });
    expect(file.createdOn).toBeInstanceOf(Date);
    // The SDK serialises its metadata object as JSON with Moov's snake_case keys; the sandbox echoes it.
    expect(JSON.parse(file.metadata)).toEqual({
      comment: 'articles of incorporation',
      representative_id: 'c63ab175-251d-497e-a267-7346d087e180',
    });

    const listed = await ctx.moov.files.list({ accountID: ctx.merchant });
    expect(listed.result).toEqual([file]);
    const got = await ctx.moov.files.get({ accountID: ctx.merchant, fileID: file.fileID });
    expect(got.result).toEqual(file);
  });

  it('accepts a Blob upload and a ReadableStream upload', async () => {
    const blob = await ctx.moov.files.upload({
      accountID: ctx.merchant,
      fileUploadRequestMultiPart: { file: new Blob([new Uint8Array(SAMPLES.png)]), filePurpose: 'identity_verification' },
    });
    expect(blob.result.fileSizeBytes).toBe(SAMPLES.png.length);
    const stream = await ctx.moov.files.upload({
      accountID: ctx.merchant,
      fileUploadRequestMultiPart: {
        file: { fileName: 'owners.csv', content: new Blob([new Uint8Array(SAMPLES.csv)]).stream() },
        filePurpose: 'merchant_underwriting',
      },
    });
    expect(stream.result.fileName).toBe('owners.csv');
    expect(stream.result.metadata).toBe('{}');
  });

  it('maps 422 (content does not match the name) to FileValidationError', async () => {
    const err = await sdkError(
      ctx.moov.files.upload({
        accountID: ctx.merchant,
        fileUploadRequestMultiPart: { file: { fileName: 'scan.png', content: new Uint8Array(SAMPLES.pdf) }, filePurpose: 'identity_verification' },
      }),
      FileValidationError,
      422,
    );
    expect(err.error).toMatch(/pdf/);
    expect(err.file).toBe(err.error);
  });

  it('maps a too-long file name to FileValidationError.fileName', async () => {
    const err = await sdkError(
      ctx.moov.files.upload({
        accountID: ctx.merchant,
        fileUploadRequestMultiPart: {
          file: { fileName: `${'n'.repeat(70)}.pdf`, content: new Uint8Array(SAMPLES.pdf) },
          filePurpose: 'identity_verification',
        },
      }),
      FileValidationError,
      422,
    );
    expect(err.fileName).toMatch(/64/);
  });

  it('maps a file over 10 MB to FileValidationError', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20);
    big.set(SAMPLES.pdf);
    await sdkError(
      ctx.moov.files.upload({
        accountID: ctx.merchant,
        fileUploadRequestMultiPart: { file: { fileName: 'big.pdf', content: big }, filePurpose: 'identity_verification' },
      }),
      FileValidationError,
      422,
    );
    expect((await ctx.moov.files.list({ accountID: ctx.merchant })).result).toEqual([]);
  });

  it('maps 404 to APIError for unknown accounts and files', async () => {
    await sdkError(ctx.moov.files.get({ accountID: ctx.merchant, fileID: '00000000-0000-4000-8000-000000000000' }), APIError, 404);
    await sdkError(
      ctx.moov.files.upload({
        accountID: '00000000-0000-4000-8000-000000000000',
        fileUploadRequestMultiPart: { file: { fileName: 'a.pdf', content: new Uint8Array(SAMPLES.pdf) }, filePurpose: 'identity_verification' },
      }),
      APIError,
      404,
    );
  });

  it('maps an injected 400 {error} to GenericError', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: 'POST /accounts/:accountID/files',
      sequence: [{ status: 400, body: { error: 'The image provided could not be serialized.' } }],
    });
    const err = await sdkError(
      ctx.moov.files.upload({
        accountID: ctx.merchant,
        fileUploadRequestMultiPart: { file: { fileName: 'a.pdf', content: new Uint8Array(SAMPLES.pdf) }, filePurpose: 'identity_verification' },
      }),
      GenericError,
      400,
    );
    expect(err.error).toBe('The image provided could not be serialized.');
  });
});

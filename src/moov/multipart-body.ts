import { randomBytes } from 'node:crypto';

/**
 * A file part whose bytes arrive as a stream (object storage), sent without holding them whole:
 * undici's FormData copies every non-Blob value into a File, so a streamed part cannot go through
 * it. The body is `multipart/form-data` as RFC 7578 defines it, with a Content-Length computed in
 * advance from the declared size: a stream that yields more or fewer bytes fails the request
 * (undici refuses a body that disagrees with its Content-Length) instead of sending other bytes.
 */
export interface StreamedFilePart {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** Read once, as the request is written. */
  bytes: AsyncIterable<Uint8Array>;
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  body: AsyncIterable<Uint8Array>;
}

/** Quotes a form-data name or filename as browsers and undici do (RFC 7578 §4.2 leaves escaping to practice). */
function escapeName(value: string): string {
  return value.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/** The file part first, then the text fields, in the order Moov's upload lists them. */
export function multipartBody(file: StreamedFilePart, fields: readonly (readonly [string, string])[]): MultipartBody {
  const boundary = `----moov-remediation-${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  const fileHead = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeName(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const rest = encoder.encode(
    `\r\n${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value.replace(/\r?\n|\r/g, '\r\n')}\r\n`).join('')}--${boundary}--\r\n`,
  );
  async function* body(): AsyncIterable<Uint8Array> {
    yield fileHead;
    yield* file.bytes;
    yield rest;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, contentLength: fileHead.byteLength + file.sizeBytes + rest.byteLength, body: body() };
}

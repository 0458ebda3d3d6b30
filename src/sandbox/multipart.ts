import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FileKind } from './file-type';
import { FileSniffer } from './file-type';
import { fail } from './http-io';

export interface UploadedFile {
  fieldName: string;
  fileName: string;
  size: number;
  /** True when the part exceeded the size limit (the excess was discarded, not buffered). */
  truncated: boolean;
  kind: FileKind | null;
  /** SHA-256 of the bytes (hex): Moov holds the bytes; tests tell two uploads of one name apart by it. */
  sha256: string;
}

export interface ParsedUpload {
  file?: UploadedFile;
  fields: Map<string, string>;
  /** More file parts arrived than the one Moov accepts. */
  extraFiles: boolean;
}

export interface UploadLimits {
  maxFileBytes: number;
}

/**
 * Streams a multipart body: the file is sniffed and counted as it passes, never held in memory.
 * Unparseable multipart (wrong content type, no boundary, broken framing) is Moov's 400.
 */
export function parseUpload(req: IncomingMessage, limits: UploadLimits): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy flags a file as truncated when it reaches the limit exactly, so allow one byte more
        // and judge the size ourselves: a file of exactly maxFileBytes is valid.
        limits: { fileSize: limits.maxFileBytes + 1, files: 1, fields: 16, fieldSize: 64 * 1024, parts: 32 },
      });
    } catch (err) {
      req.resume();
      reject(fail(400, `request is not multipart/form-data: ${(err as Error).message}`));
      return;
    }
    const result: ParsedUpload = { fields: new Map(), extraFiles: false };
    const pending: Promise<void>[] = [];

    parser.on('file', (fieldName, stream, info) => {
      const sniffer = new FileSniffer();
      const hash = createHash('sha256');
      pending.push(
        new Promise<void>((done, failed) => {
          stream.on('data', (chunk: Buffer) => {
            sniffer.push(chunk);
            hash.update(chunk);
          });
          stream.on('error', failed);
          stream.on('close', () => {
            result.file = {
              fieldName,
              fileName: info.filename ?? '',
              size: sniffer.size,
              truncated: stream.truncated === true || sniffer.size > limits.maxFileBytes,
              kind: sniffer.kind(),
              sha256: hash.digest('hex'),
            };
            done();
          });
        }),
      );
    });
    parser.on('field', (name, value) => {
      if (!result.fields.has(name)) result.fields.set(name, value);
    });
    parser.on('filesLimit', () => {
      result.extraFiles = true;
    });
    parser.on('error', (err: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(fail(400, `malformed multipart body: ${err.message}`));
    });
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve(result), reject);
    });
    req.on('error', reject);
    req.pipe(parser);
  });
}

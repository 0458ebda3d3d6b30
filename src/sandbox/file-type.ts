/** The four kinds Moov accepts for `POST /accounts/{accountID}/files`. */
export type FileKind = 'pdf' | 'png' | 'jpeg' | 'csv';

const PDF = Buffer.from('%PDF-', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const HEAD_BYTES = 8;

/**
 * Judges a file by its bytes while it streams past, keeping only the first few bytes: an upload is
 * never buffered whole.
 */
export class FileSniffer {
  private head = Buffer.alloc(0);
  private sawNul = false;
  private total = 0;

  push(chunk: Buffer): void {
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    if (!this.sawNul && chunk.includes(0)) this.sawNul = true;
    this.total += chunk.length;
  }

  get size(): number {
    return this.total;
  }

  kind(): FileKind | null {
    if (this.total === 0) return null;
    if (startsWith(this.head, PDF)) return 'pdf';
    if (startsWith(this.head, PNG)) return 'png';
    if (startsWith(this.head, JPEG)) return 'jpeg';
    // CSV has no signature; plain text without NUL bytes is the best available test.
    return this.sawNul ? null : 'csv';
  }
}

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.subarray(0, prefix.length).equals(prefix);
}

/** What a file name's extension claims; 'none' when there is no extension to contradict the bytes. */
export function kindFromFileName(fileName: string): FileKind | 'none' | 'unsupported' {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return 'none';
  switch (fileName.slice(dot + 1).toLowerCase()) {
    case 'pdf':
      return 'pdf';
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
      return 'jpeg';
    case 'csv':
      return 'csv';
    default:
      return 'unsupported';
  }
}

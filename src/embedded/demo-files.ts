import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Small but well-formed documents for the demo: Moov (and the sandbox) check a file's bytes, not
 * only its name, so each one is generated as a real PDF, PNG or CSV.
 */
export const DEMO_FILE_NAMES = {
  pdf: 'articles-of-organization.pdf',
  png: 'owner-photo-id.png',
  csv: 'bank-statement.csv',
} as const;

export async function writeDemoFiles(dir: string): Promise<typeof DEMO_FILE_NAMES> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, DEMO_FILE_NAMES.pdf), minimalPdf('Articles of Organization - Demo Yoga Studio LLC')),
    writeFile(path.join(dir, DEMO_FILE_NAMES.png), checkerboardPng(32, 32)),
    writeFile(path.join(dir, DEMO_FILE_NAMES.csv), demoCsv()),
  ]);
  return DEMO_FILE_NAMES;
}

/** A one-page PDF 1.4 with a text line; the xref offsets are computed, so readers accept it. */
export function minimalPdf(text: string): Buffer {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 18 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An 8-bit RGB PNG with a two-colour checkerboard, so image viewers show something. */
export function checkerboardPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: truecolour
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // leading 0: filter type None
    for (let x = 0; x < width; x++) {
      const dark = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0;
      row.set(dark ? [0x1f, 0x3a, 0x93] : [0xf2, 0xf4, 0xf8], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function demoCsv(): Buffer {
  return Buffer.from(
    ['date,description,amount_usd', '2026-01-05,Class pack sales,1840.00', '2026-01-12,Studio rent,-1200.00', '2026-01-19,Class pack sales,2110.50', ''].join(
      '\n',
    ),
    'utf8',
  );
}

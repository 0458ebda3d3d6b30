import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Smallest well-formed files of each type Moov accepts, so uploads pass the content sniffing. */
export const SAMPLE_FILES: Record<string, Buffer> = {
  'passport.pdf': Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1'),
  'utility-bill.png': Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  ),
  'owners.csv': Buffer.from('name,share\nAda Lovelace,100\n'),
};

export async function makeFilesRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'remediation-files-'));
  for (const [name, bytes] of Object.entries(SAMPLE_FILES)) await writeFile(path.join(root, name), bytes);
  return root;
}

/** The sample files in an account's own folder, FILES_ROOT/<accountID>/ (FILES_LAYOUT=per-account). */
export async function writeAccountFiles(filesRoot: string, accountID: string): Promise<string> {
  const dir = path.join(filesRoot, accountID);
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(SAMPLE_FILES)) await writeFile(path.join(dir, name), bytes);
  return dir;
}

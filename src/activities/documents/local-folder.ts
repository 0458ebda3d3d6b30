import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CATALOG_FILE_NAME, MAX_CATALOG_BYTES } from '../../domain/document-catalog';
import { sha256OfFile } from '../../moov/file-content-hash';
import { FileSourceError, assertPathAgreesWithName, openFileSource } from '../../moov/file-source';
import type { FileToUpload } from '../../domain/remediation-input';
import { DEFAULT_FILES_LAYOUT, type FilesLayout } from '../files-layout';
import { filesScope, resolveInsideRoot } from '../files-root';
import { invalidInput } from '../moov-failure';
import type { DocumentSource, InspectedDocument, UploadBody } from './document-source';

/**
 * The worker's own folder, FILES_ROOT (per account by default: ../files-layout.ts). The embedded
 * default, and a shared volume for deployments that have one; object storage is ./s3-bucket.ts.
 */
export function localFolderSource(filesRoot: string, filesLayout: FilesLayout = DEFAULT_FILES_LAYOUT): DocumentSource {
  async function resolve(accountID: string, file: FileToUpload): Promise<string> {
    return resolveInsideRoot(filesScope(filesRoot, filesLayout, accountID), file.path);
  }
  return {
    kind: 'local',
    async inspect(accountID, file): Promise<InspectedDocument> {
      const absolutePath = await resolve(accountID, file);
      try {
        // The bytes (sniffed by openFileSource), the path's extension and the file name agree on the type.
        assertPathAgreesWithName(file.path, file.fileName);
        const source = await openFileSource(absolutePath, file.fileName);
        return { fileName: source.fileName, sizeBytes: source.sizeBytes, sha256: await sha256OfFile(absolutePath) };
      } catch (err) {
        // Named by the input's relative path: the worker's own directories stay out of workflow history.
        if (err instanceof FileSourceError) throw invalidInput(`files: ${file.path}: ${err.message.split(absolutePath).join(file.path)}`);
        throw err;
      }
    },
    // The Moov client opens the path itself (a disk-backed Blob); the activity inspected it just before.
    async open(accountID, file, inspected): Promise<UploadBody> {
      return { kind: 'path', filePath: await resolve(accountID, file), fileName: inspected.fileName };
    },
    async readCatalog(accountID): Promise<string | undefined> {
      const scope = filesScope(filesRoot, filesLayout, accountID);
      const exists = await stat(path.join(scope.dir, CATALOG_FILE_NAME)).then(
        () => true,
        () => false,
      );
      if (!exists) return undefined;
      // Through the same containment check as a document: a symlinked catalog may not lead outside.
      const catalogPath = await resolveInsideRoot(scope, CATALOG_FILE_NAME);
      const { size } = await stat(catalogPath);
      if (size > MAX_CATALOG_BYTES) throw invalidInput(`${CATALOG_FILE_NAME} below ${scope.label} is ${size} bytes; a catalog may be at most ${MAX_CATALOG_BYTES}`);
      return readFile(catalogPath, 'utf8');
    },
  };
}

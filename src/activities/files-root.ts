import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { FilesLayout } from './files-layout';
import { invalidInput } from './moov-failure';

/** The folder a remediation may read from, and how messages name it (never the worker's real path). */
export interface FilesScope {
  dir: string;
  label: string;
}

export function filesScope(filesRoot: string, layout: FilesLayout, accountID: string): FilesScope {
  if (layout === 'shared') return { dir: filesRoot, label: 'FILES_ROOT' };
  // accountID passed the input schema (letters, digits, - and _), so it is one path segment.
  if (!/^[A-Za-z0-9_-]+$/.test(accountID)) throw invalidInput(`accountID: ${accountID} cannot name a folder below FILES_ROOT`);
  return { dir: path.join(filesRoot, accountID), label: `FILES_ROOT/${accountID}/` };
}

/**
 * Resolves a workflow-supplied path to a real file inside the scope's folder. Checked on the real
 * filesystem, so a symlink that points outside it (another account's folder included) is refused
 * like `..` is.
 */
export async function resolveInsideRoot(scope: FilesScope, relativePath: string): Promise<string> {
  if (path.isAbsolute(relativePath) || relativePath.split(/[/\\]/).includes('..')) {
    throw invalidInput(`files: ${relativePath} must be a path relative to ${scope.label} without '..'`);
  }
  let root: string;
  let resolved: string;
  try {
    root = await realpath(scope.dir);
    resolved = await realpath(path.resolve(root, relativePath));
  } catch (err) {
    throw invalidInput(`files: ${relativePath} cannot be read below ${scope.label} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw invalidInput(`files: ${relativePath} resolves outside ${scope.label} (symbolic link?); refusing to read it`);
  }
  return resolved;
}

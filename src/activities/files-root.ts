import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { invalidInput } from './moov-failure';

/**
 * Resolves a workflow-supplied path to a real file inside FILES_ROOT. Checked on the real
 * filesystem, so a symlink that points outside the root is refused like `..` is.
 */
export async function resolveInsideRoot(filesRoot: string, relativePath: string): Promise<string> {
  if (path.isAbsolute(relativePath) || relativePath.split(/[/\\]/).includes('..')) {
    throw invalidInput(`files: ${relativePath} must be a path relative to FILES_ROOT without '..'`);
  }
  const root = await realpath(filesRoot);
  let resolved: string;
  try {
    resolved = await realpath(path.resolve(root, relativePath));
  } catch (err) {
    throw invalidInput(`files: ${relativePath} cannot be read below FILES_ROOT (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw invalidInput(`files: ${relativePath} resolves outside FILES_ROOT (symbolic link?); refusing to read it`);
  }
  return resolved;
}

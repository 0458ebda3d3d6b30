import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/temporal-servers/locate';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `tsx src/cli.ts …` as an operator runs it, pointed at one Temporal server and task queue. The
 * caller's MOOV_* and TEMPORAL_* variables are dropped, so nothing from the test's own
 * environment reaches the CLI; `temporal.env` adds variables on top (e.g. TEMPORAL_CODEC_KEYS).
 * A CLI still running after `timeoutMs` is killed and fails the call.
 */
export function runCliProcess(
  args: string[],
  temporal: { address: string; taskQueue: string; env?: Record<string, string> },
  timeoutMs = 60_000,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('MOOV_') || name.startsWith('TEMPORAL_')) delete env[name];
  Object.assign(env, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: temporal.taskQueue, ...temporal.env });
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli.ts', ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} did not finish within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

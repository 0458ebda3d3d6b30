import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/temporal-servers/locate';

/**
 * `npm start` with nothing configured, as a new user runs it: the dev server, the sandbox, the
 * worker, the webhook receiver and the demo remediation. The merchant's fix reaches the
 * remediation through Moov's webhook (the sandbox signs and sends it), not through the poll,
 * which is a day away.
 */
const DEMO_TIMEOUT_MS = 150_000;

function runDemo(): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(MOOV_|TEMPORAL_|WEBHOOK_|SANDBOX_|METRICS_)/.test(name)) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/start.ts'], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not finish within ${DEMO_TIMEOUT_MS} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, DEMO_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // The demo's last line: it has told its story; Ctrl-C stops everything it started.
      if (!interrupted && stdout.includes('Press Ctrl-C to stop everything')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

test("npm start: the demo remediation ends resolved because of Moov's webhook, within seconds of the merchant's fix", async () => {
  const { stdout, code } = await runDemo();
  expect(stdout).toMatch(/Webhook receiver: +http:\/\/127\.0\.0\.1:\d+\/webhooks\/moov/);
  expect(stdout).toMatch(/phase: +resolved/);
  const seen = stdout.match(/resolved ([\d.]+) s after the merchant's fix, seen because of (.+webhooks?)\n/);
  expect(seen?.[2]).toMatch(/Moov('s capability\.updated)? webhook|\d+ Moov webhooks/);
  // Measured, not a timing test: a day-long poll could not have seen it this soon, the webhook did.
  expect(Number(seen?.[1])).toBeLessThan(30);
  expect(stdout).toContain('stopped webhook receiver');
  expect(stdout).not.toContain('could not stop');
  expect(code).toBe(0);
}, DEMO_TIMEOUT_MS + 10_000);

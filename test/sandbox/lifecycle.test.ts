import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DEMO, startSandbox } from '../../src/sandbox';
import { BASIC } from './support/helpers';
import { WebhookReceiver } from './support/webhook-receiver';

const ROOT = path.resolve(__dirname, '../..');

describe('sandbox: lifecycle', () => {
  it('listens on loopback by default and close() ends keep-alive connections at once', async () => {
    const sandbox = await startSandbox();
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect(sandbox.port).toBeGreaterThan(0);
    // This leaves an idle keep-alive socket in fetch's pool, which alone would hold server.close().
    expect((await fetch(`${sandbox.url}/_sandbox/health`)).status).toBe(200);
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(2000);
    await sandbox.close();
    await expect(fetch(`${sandbox.url}/_sandbox/health`)).rejects.toThrow();
  });

  it('does not wait for injected latency on close', async () => {
    const sandbox = await startSandbox();
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /accounts', fault: { latencyMs: 60_000 } }),
    });
    const slow = fetch(`${sandbox.url}/accounts`, { headers: { authorization: BASIC } });
    // Calls are logged only when answered, so the applied fault rule is what shows the request has
    // reached its injected delay.
    for (;;) {
      const rules = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as { applied: number }[];
      if (rules[0]?.applied === 1) break;
    }
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(slow).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const first = await startSandbox();
    try {
      await expect(startSandbox({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('rejects invalid options', async () => {
    await expect(startSandbox({ rateLimitRps: -1 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ latencyMs: [50, 10] })).rejects.toThrow(RangeError);
  });
});

describe('sandbox: CLI (npm run sandbox)', () => {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');

  /** Starts `npm run sandbox` with `args` (and `env` added); resolves with its URL once it logs it. */
  async function startCli(args: string[], env: Record<string, string> = {}) {
    const child = spawn(tsx, ['src/sandbox/main.ts', '--port', '0', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
    });
    return { child, exited, url };
  }

  it('logs its URL, serves the demo merchant and exits 0 on SIGTERM', async () => {
    const { child, exited, url: listening } = await startCli(['--seed-demo', '--rate-limit', '10', '--latency', '0-5']);
    try {
      const url = await listening;
      const res = await fetch(`${url}/accounts/${DEMO.merchantAccountID}/capabilities`, { headers: { authorization: BASIC } });
      expect(res.status).toBe(200);
      const caps = (await res.json()) as { capability: string; requirements: { errors: unknown[] } }[];
      expect(caps.find((c) => c.capability === 'collect-funds')?.requirements.errors).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  /** Runs the CLI with `args` (no SANDBOX_WEBHOOK_* from this environment) until it exits; its exit code and stderr. */
  async function refusal(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const { SANDBOX_WEBHOOK_URL: _url, SANDBOX_WEBHOOK_SECRET: _secret, ...env } = process.env;
    const child = spawn(tsx, ['src/sandbox/main.ts', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    return { code, stderr };
  }

  it('refuses a malformed --latency with a non-zero exit', async () => {
    const { code, stderr } = await refusal(['--latency', 'fast']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/latency/);
  });

  it('delivers webhooks to SANDBOX_WEBHOOK_URL, signed with SANDBOX_WEBHOOK_SECRET', async () => {
    const receiver = await WebhookReceiver.start('whsec-cli');
    const { child, exited, url: listening } = await startCli([], { SANDBOX_WEBHOOK_URL: receiver.url, SANDBOX_WEBHOOK_SECRET: 'whsec-cli' });
    try {
      const url = await listening;
      const shown = (await (await fetch(`${url}/_sandbox/webhook`)).json()) as { webhook: { url: string } };
      expect(shown.webhook.url).toBe(receiver.url);
      expect((await fetch(`${url}/_sandbox/webhook/test`, { method: 'POST' })).status).toBe(202);
      const [delivery] = await receiver.waitFor(1);
      expect(delivery).toMatchObject({ signatureValid: true, body: { type: 'event.test', data: { ping: true } } });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('refuses a webhook URL without its secret', async () => {
    const { code, stderr } = await refusal(['--webhook-url', 'http://127.0.0.1:9/x']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--webhook-url and --webhook-secret go together/);
  });
});

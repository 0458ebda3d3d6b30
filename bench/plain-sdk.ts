/**
 * The plain alternative: what a team would write without Temporal. The official SDK
 * (`@moovio/sdk`) with its built-in retries switched on the way its README shows (`retryConfig`
 * with strategy "backoff"), and a concurrency limit over the accounts. Per account it does the
 * same work as one benchmark remediation: upload two files, create a resolution link, share the
 * connection. No dedupe, no wait hints beyond what the SDK does itself, no durability.
 *
 * Run by `npm run bench` as a child process (so its CPU is its own):
 *   node --import tsx bench/plain-sdk.ts --job job.json --out result.json
 */
import { Moov } from '@moovio/sdk';
import type { RetryConfig } from '@moovio/sdk/lib/retries';
import { Command } from 'commander';
import { openAsBlob } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface PlainJob {
  serverURL: string;
  username: string;
  password: string;
  filesRoot: string;
  files: { path: string; filePurpose: 'identity_verification' | 'business_verification' }[];
  principalAccountID: string;
  allowScopes: string[];
  accounts: { accountID: string; email: string }[];
  concurrency: number;
}

export interface PlainAccountOutcome {
  accountID: string;
  /** ms since the script's t0 (when every account was handed to the pool). */
  startedMs: number;
  finishedMs: number;
  error?: string;
}

export interface PlainResult {
  t0: number;
  tEnd: number;
  cpuMs: number;
  retryConfig: RetryConfig;
  outcomes: PlainAccountOutcome[];
}

/**
 * The SDK's own default backoff (lib/retries.js: 500 ms initial, ×1.5, at most 60 s between tries,
 * give up after an hour), switched on for every call as the README's "Retries" section shows.
 * The SDK retries 429, 500, 502, 503 and 504, honours Retry-After and retry-after-ms, and ignores
 * X-Retry-In. Connection errors are retried too (the README's example turns that off; a resilient
 * script would turn it on).
 */
export const PLAIN_RETRY_CONFIG: RetryConfig = {
  strategy: 'backoff',
  backoff: { initialInterval: 500, maxInterval: 60_000, exponent: 1.5, maxElapsedTime: 3_600_000 },
  retryConnectionErrors: true,
};

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; statusCode?: number };
  return `${e.name ?? 'Error'}${e.statusCode ? ` ${e.statusCode}` : ''}: ${(e.message ?? String(err)).slice(0, 160)}`;
}

export async function runPlain(job: PlainJob): Promise<PlainResult> {
  const moov = new Moov({ security: { username: job.username, password: job.password }, serverURL: job.serverURL, retryConfig: PLAIN_RETRY_CONFIG });
  const outcomes: PlainAccountOutcome[] = new Array(job.accounts.length);
  const cpuStart = process.cpuUsage();
  const t0 = Date.now();

  async function remediate(account: { accountID: string; email: string }): Promise<void> {
    const { accountID } = account;
    await Promise.all(
      job.files.map(async (file) =>
        moov.files.upload({
          accountID,
          fileUploadRequestMultiPart: {
            file: { fileName: path.basename(file.path), content: await openAsBlob(path.join(job.filesRoot, file.path)) },
            filePurpose: file.filePurpose,
          },
        }),
      ),
    );
    await moov.resolutionLinks.create({ accountID, createResolutionLink: { recipient: { email: account.email } } });
    await moov.accounts.connect({
      accountID,
      shareScopes: { principalAccountID: job.principalAccountID, allowScopes: job.allowScopes as never },
    });
  }

  let next = 0;
  const lane = async () => {
    while (next < job.accounts.length) {
      const index = next++;
      const account = job.accounts[index]!;
      const startedMs = Date.now() - t0;
      try {
        await remediate(account);
        outcomes[index] = { accountID: account.accountID, startedMs, finishedMs: Date.now() - t0 };
      } catch (err) {
        outcomes[index] = { accountID: account.accountID, startedMs, finishedMs: Date.now() - t0, error: describeError(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.accounts.length) }, lane));
  const cpu = process.cpuUsage(cpuStart);
  return { t0, tEnd: Date.now(), cpuMs: (cpu.user + cpu.system) / 1000, retryConfig: PLAIN_RETRY_CONFIG, outcomes };
}

async function main(): Promise<void> {
  const opts = new Command().requiredOption('--job <file>').requiredOption('--out <file>').parse().opts<{ job: string; out: string }>();
  const job = JSON.parse(await readFile(opts.job, 'utf8')) as PlainJob;
  const result = await runPlain(job);
  await writeFile(opts.out, JSON.stringify(result));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

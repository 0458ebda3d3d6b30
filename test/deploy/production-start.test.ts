import { Client, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failureMessage, startRemediation, waitForRemediation } from '../../src/client';
import { encryptedDataConverter, keyringFromEnv } from '../../src/codec';
import { DEMO_FILE_NAMES, writeDemoFiles } from '../../src/embedded/demo-files';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';
import { PROJECT_ROOT } from '../../src/temporal-servers/locate';
import type { WorkflowBundleManifest } from '../../src/workflow-code';
import { createDevServerEnv } from '../support/temporal-env';

/**
 * The Docker image's steps, without Docker (there is no engine on these machines):
 * - build stage: `tsc -p tsconfig.build.json` into a fresh dist/, then `npm run build:bundle`'s
 *   command (`node dist/build-workflow-bundle.js`), which writes dist/workflow-bundle.js;
 * - runtime stage: `node dist/worker.js` and `node dist/sandbox/main.js` with production
 *   dependencies only. A preload (omit-dev-dependencies.cjs) makes every package that
 *   `npm install --omit=dev` leaves out fail to load, so tsx, ts-node, @temporalio/testing
 *   and the rest cannot be reached, as in the image. (CI also does a real production-only
 *   install: .ci/image-steps.)
 * dist/workflows is deleted after bundling, so the worker can only run the prebuilt bundle.
 * Against a real Temporal dev server, the worker runs one remediation to completion.
 */
const PRELOAD = path.join(__dirname, 'omit-dev-dependencies.cjs');
const TSC = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let app: string;
let dist: string;
let filesRoot: string;
let files: typeof DEMO_FILE_NAMES;
let env: TestWorkflowEnvironment;
const children: Proc[] = [];

class Proc {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    children.push(this);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output.match(pattern);
        if (match) {
          done();
          resolve(match);
        }
      };
      const onExit = () => {
        done();
        reject(new Error(`process exited before ${pattern}:\n${this.output}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.child.stdout!.off('data', check);
        this.child.stderr!.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout!.on('data', check);
      this.child.stderr!.on('data', check);
      this.child.once('exit', onExit);
      check();
      if (!this.running) onExit();
    });
  }
}

async function run(args: string[], cwd: string, timeoutMs = 90_000): Promise<string> {
  const proc = new Proc(args, { cwd, env: productionEnv() });
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`node ${args.join(' ')} failed (${signal ?? code}):\n${proc.output}`);
  return proc.output;
}

/** A container-like environment: nothing from this shell's TEMPORAL_*, MOOV_*, ... settings. */
function productionEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: app, NODE_ENV: 'production', BLOCK_DEV_DEPENDENCIES_ROOT: PROJECT_ROOT, ...extra };
}

function workerEnv(sandboxUrl: string, taskQueue: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return productionEnv({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    FILES_ROOT: filesRoot,
    MOOV_PARTNER_ACCOUNT_ID: DEFAULT_PARTNER_ACCOUNT_ID,
    MOOV_BASE_URL: sandboxUrl,
    MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
    MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    LOG_LEVEL: 'info',
    ...extra,
  });
}

async function startSandbox(): Promise<{ url: string; proc: Proc }> {
  const proc = new Proc(['--require', PRELOAD, 'dist/sandbox/main.js', '--port', '0', '--rate-limit', '0'], { cwd: app, env: productionEnv() });
  const [, url] = await proc.waitFor(/Moov sandbox listening on (http:\/\/[\d.]+:\d+)/);
  return { url: url!, proc };
}

async function admin<T>(sandboxUrl: string, method: string, urlPath: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl}/_sandbox${urlPath}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox admin ${method} ${urlPath} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  app = await mkdtemp(path.join(tmpdir(), 'production-start-'));
  dist = path.join(app, 'dist');
  // The image's layout: /app/package.json, /app/node_modules, /app/dist.
  await copyFile(path.join(PROJECT_ROOT, 'package.json'), path.join(app, 'package.json'));
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(app, 'node_modules'), 'dir');
  filesRoot = path.join(app, 'files');
  await mkdir(filesRoot);
  files = DEMO_FILE_NAMES;

  const compile = run([TSC, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', dist], PROJECT_ROOT);
  [env] = await Promise.all([createDevServerEnv(), compile]);
  const bundled = await run(['dist/build-workflow-bundle.js'], app);
  expect(bundled).toMatch(/wrote dist\/workflow-bundle\.js \(\d+ KiB, @temporalio\/worker [\d.]+\)/);
  await rm(path.join(dist, 'workflows'), { recursive: true });
}, 180_000);

afterAll(async () => {
  for (const proc of children) if (proc.running) proc.child.kill('SIGKILL');
  await env?.teardown();
  if (app) await rm(app, { recursive: true, force: true });
}, 60_000);

test('the preload blocks exactly what a production-only install leaves out', async () => {
  await expect(run(['--require', PRELOAD, '-e', "require('@temporalio/testing')"], app)).rejects.toThrow(/a devDependency, not installed in the runtime image/);
  await expect(run(['--require', PRELOAD, '-e', "require('tsx')"], app)).rejects.toThrow(/devDependency/);
  await run(['--require', PRELOAD, '-e', "require('@temporalio/worker'); require('@temporalio/proto')"], app);
});

test('each bundle records what it was built with: plain, and with the encrypting failure converter', async () => {
  const manifest = async (name: string) => JSON.parse(await readFile(path.join(dist, `${name}.json`), 'utf8')) as WorkflowBundleManifest;
  const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'node_modules/@temporalio/worker/package.json'), 'utf8')) as { version: string };
  const plain = await manifest('workflow-bundle.js');
  expect(plain).toMatchObject({ format: 1, temporalWorkerVersion: version, workflowInterceptorModules: [] });
  expect(plain.failureConverter).toBeUndefined();
  expect(await manifest('workflow-bundle.encrypted.js')).toMatchObject({ temporalWorkerVersion: version, failureConverter: 'codec/failure-converter.js' });
});

test('node dist/worker.js runs a remediation to completion from the prebuilt bundle, with production dependencies only, and stops cleanly on SIGTERM', async () => {
  const sandbox = await startSandbox();
  const taskQueue = `deploy-${randomUUID()}`;
  const worker = new Proc(['--require', PRELOAD, 'dist/worker.js'], { cwd: app, env: workerEnv(sandbox.url, taskQueue) });
  await worker.waitFor(/polling task queue/);
  expect(worker.output).toContain(`prebuilt bundle ${path.join(dist, 'workflow-bundle.js')}`);

  const accountID = randomUUID();
  await admin(sandbox.url, 'POST', '/accounts', { accountID, displayName: 'Deploy Check LLC', email: 'owner@deploy.example' });
  // The default FILES_LAYOUT=per-account: the merchant's documents are in FILES_ROOT/<accountID>/.
  await writeDemoFiles(path.join(filesRoot, accountID));
  await startRemediation(
    env.client,
    {
      accountID,
      files: [{ path: files.pdf, filePurpose: 'business_verification', metadata: { requirement_id: 'document.business.verification' } }],
      resolutionLink: { recipient: { email: 'owner@deploy.example' } },
      options: { followThrough: false },
    },
    { taskQueue },
  );
  const status = await waitForRemediation(env.client, accountID);

  expect(status.phase).toBe('completed');
  expect(status.files.map((f) => [f.fileName, f.state])).toEqual([[files.pdf, 'uploaded']]);
  expect(status.resolutionLink?.outcome).toBe('created');
  const state = await admin<{ files: unknown[]; resolutionLinks: { status: string }[] }>(sandbox.url, 'GET', `/accounts/${accountID}/state`);
  expect(state.files).toHaveLength(1);
  expect(state.resolutionLinks.map((l) => l.status)).toEqual(['active']);
  // Bundling at start would have needed dist/workflows, which is gone.
  expect(worker.output).not.toMatch(/bundling .* at start/);

  // `docker stop`: SIGTERM, and the worker drains and exits 0 well within compose's grace period.
  worker.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([worker.exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running after 20 s'), 20_000)))]);
  clearTimeout(timer);
  expect(exit).toEqual({ code: 0, signal: null });
  sandbox.proc.child.kill('SIGTERM');
  expect(await sandbox.proc.exited).toEqual({ code: 0, signal: null });
});

test('with payload encryption the worker runs the bundle built with the encrypting failure converter: workflow failures reach history encoded', async () => {
  const keys = { TEMPORAL_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
  const sandbox = await startSandbox();
  const taskQueue = `deploy-${randomUUID()}`;
  const worker = new Proc(['--require', PRELOAD, 'dist/worker.js'], { cwd: app, env: workerEnv(sandbox.url, taskQueue, keys) });
  await worker.waitFor(/polling task queue/);
  expect(worker.output).toContain(`prebuilt bundle ${path.join(dist, 'workflow-bundle.encrypted.js')}`);

  const client = new Client({ connection: env.connection, namespace: 'default', dataConverter: encryptedDataConverter(keyringFromEnv(keys)!) });
  const accountID = randomUUID();
  await admin(sandbox.url, 'POST', '/accounts', { accountID, displayName: 'Deploy Check LLC', email: 'owner@deploy.example' });
  // A file that is not there: the file plan refuses it and the workflow fails, in workflow code.
  const { handle } = await startRemediation(
    client,
    { accountID, files: [{ path: 'not-there.pdf', filePurpose: 'business_verification' }], options: { followThrough: false } },
    { taskQueue },
  );
  const failure = await handle.result().then(() => undefined, (err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(failureMessage(failure)).toMatch(/not-there\.pdf/); // decoded by the client's codec

  const history = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
  const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes;
  expect(failed?.failure?.message).toBe('Encoded failure'); // what the server stores: no file name, no merchant data
  expect(failed?.failure?.encodedAttributes?.metadata?.encoding).toBeDefined();

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  sandbox.proc.child.kill('SIGTERM');
  await sandbox.proc.exited;
});

test('WORKFLOW_BUNDLE_PATH naming a missing bundle stops the worker at start, naming the variable', async () => {
  const worker = new Proc(['--require', PRELOAD, 'dist/worker.js'], {
    cwd: app,
    env: workerEnv('http://127.0.0.1:9', `deploy-${randomUUID()}`, { WORKFLOW_BUNDLE_PATH: path.join(app, 'nope.js') }),
  });
  const { code } = await worker.exited;
  expect(code).toBe(1);
  expect(worker.output).toMatch(/nope\.js \(WORKFLOW_BUNDLE_PATH\) does not exist/);
  expect(worker.output).not.toContain('polling task queue');
});

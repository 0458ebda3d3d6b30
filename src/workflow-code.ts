import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type Logger, type WorkerOptions } from '@temporalio/worker';
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The prebuilt workflow bundle: `npm run build:bundle` (src/build-workflow-bundle.ts) writes
 * dist/workflow-bundle.js at build time, and the worker loads it instead of running webpack on
 * every start (Temporal's recommended way to deploy workers). A manifest beside each bundle
 * (`<bundle>.json`) records what went into it, so a worker never runs a bundle that does not
 * match it: one built by another @temporalio/worker version, or without the failure/payload
 * converter or workflow interceptors the worker is configured with (those run inside the
 * workflow sandbox, so they are baked into the bundle).
 */

export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';
/** Environment variable naming the bundle the worker must use (the default is found beside dist/worker.js). */
export const WORKFLOW_BUNDLE_PATH_ENV = 'WORKFLOW_BUNDLE_PATH';

/**
 * What the worker's reusable V8 context evaluates once and shares with every workflow in it
 * (the SDK's `preloadModules`) rather than once per workflow: src/workflows/shared-modules.ts
 * says what and why.
 */
export function workflowPreloadModules(): string[] {
  // Resolved when bundling: a production image runs its prebuilt bundle and ships no workflow sources.
  return [require.resolve('./workflows/shared-modules')];
}

/** The parts of the worker's configuration that run inside the workflow sandbox. */
export interface WorkflowCodeSpec {
  failureConverterPath?: string;
  payloadConverterPath?: string;
  workflowInterceptorModules?: string[];
}

/**
 * Bundles `npm run build:bundle` writes: one per data-converter setup a worker may run with.
 * Payload encryption (src/codec) moves failure messages into encoded payloads with a failure
 * converter that also runs inside the workflow sandbox, so it needs a bundle built with it. A new
 * converter or workflow interceptor setup needs a variant here; without a matching bundle the
 * worker bundles at start (correct, slower) and logs why.
 */
export function bundleVariants(distDir: string = __dirname): ({ outFile: string } & WorkflowCodeSpec)[] {
  return [
    { outFile: path.join(distDir, WORKFLOW_BUNDLE_FILE) },
    { outFile: path.join(distDir, 'workflow-bundle.encrypted.js'), failureConverterPath: require.resolve('./codec/failure-converter') },
  ];
}

export interface WorkflowBundleManifest {
  format: 1;
  /** Must equal the worker's: the SDK requires the exact version that built the bundle. */
  temporalWorkerVersion: string;
  builtAt: string;
  /** Module paths relative to the bundle's folder. */
  failureConverter?: string;
  payloadConverter?: string;
  workflowInterceptorModules: string[];
}

export interface BuildWorkflowBundleOptions extends WorkflowCodeSpec {
  outFile: string;
  /** Defaults to the workflows next to this module: dist/workflows when compiled. */
  workflowsPath?: string;
  logger?: Logger;
}

export interface BuiltWorkflowBundle {
  codePath: string;
  manifestPath: string;
  bytes: number;
  manifest: WorkflowBundleManifest;
}

export function temporalWorkerVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }).version;
}

export function manifestPathFor(codePath: string): string {
  return `${codePath}.json`;
}

/** What `bundleWorkflowCode` gets for a spec: the same for a prebuilt bundle and one built at start. */
export function bundleOptionsFor(spec: WorkflowCodeSpec, workflowsPath: string = require.resolve('./workflows'), logger: Logger = new DefaultLogger('WARN')): BundleOptions {
  return {
    workflowsPath,
    logger,
    preloadModules: workflowPreloadModules(),
    ...(spec.failureConverterPath && { failureConverterPath: spec.failureConverterPath }),
    ...(spec.payloadConverterPath && { payloadConverterPath: spec.payloadConverterPath }),
    ...(spec.workflowInterceptorModules?.length && { workflowInterceptorModules: spec.workflowInterceptorModules }),
  };
}

/** Bundles the workflows with `bundleWorkflowCode` and writes the bundle and its manifest. */
export async function buildWorkflowBundle(options: BuildWorkflowBundleOptions): Promise<BuiltWorkflowBundle> {
  const codePath = path.resolve(options.outFile);
  const dir = path.dirname(codePath);
  const { code } = await bundleWorkflowCode(bundleOptionsFor(options, options.workflowsPath, options.logger));
  const relative = (modulePath: string) => path.relative(dir, path.resolve(modulePath));
  const manifest: WorkflowBundleManifest = {
    format: 1,
    temporalWorkerVersion: temporalWorkerVersion(),
    builtAt: new Date().toISOString(),
    ...(options.failureConverterPath && { failureConverter: relative(options.failureConverterPath) }),
    ...(options.payloadConverterPath && { payloadConverter: relative(options.payloadConverterPath) }),
    workflowInterceptorModules: (options.workflowInterceptorModules ?? []).map(relative),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(codePath, code);
  const manifestPath = manifestPathFor(codePath);
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { codePath, manifestPath, bytes: Buffer.byteLength(code), manifest };
}

export type WorkflowSource =
  | { kind: 'bundle'; codePath: string }
  /** Bundled by the worker at start; `reason` says why no prebuilt bundle was used, if one was there. */
  | { kind: 'source'; workflowsPath: string; reason?: string };

export class WorkflowBundleError extends Error {
  override readonly name = 'WorkflowBundleError';
}

/** What a worker with these options needs its bundle to have been built with. */
export function workflowCodeSpecOf(options: Pick<WorkerOptions, 'dataConverter' | 'interceptors'>): WorkflowCodeSpec {
  return {
    ...(options.dataConverter?.failureConverterPath && { failureConverterPath: options.dataConverter.failureConverterPath }),
    ...(options.dataConverter?.payloadConverterPath && { payloadConverterPath: options.dataConverter.payloadConverterPath }),
    ...(options.interceptors?.workflowModules?.length && { workflowInterceptorModules: options.interceptors.workflowModules }),
  };
}

function canonical(modulePath: string, base?: string): string {
  const absolute = base ? path.resolve(base, modulePath) : path.resolve(modulePath);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

/** Why the bundle at `codePath` cannot serve a worker needing `spec`; undefined when it can. */
export function bundleMismatch(codePath: string, spec: WorkflowCodeSpec): string | undefined {
  const manifestPath = manifestPathFor(codePath);
  if (!existsSync(manifestPath)) return `it has no manifest (${path.basename(manifestPath)}); build it with npm run build:bundle`;
  let manifest: WorkflowBundleManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WorkflowBundleManifest;
  } catch (err) {
    return `its manifest is unreadable: ${(err as Error).message}`;
  }
  const version = temporalWorkerVersion();
  if (manifest.temporalWorkerVersion !== version) {
    return `it was built by @temporalio/worker ${manifest.temporalWorkerVersion}, this worker runs ${version}`;
  }
  const dir = path.dirname(codePath);
  const same = (built: string | undefined, wanted: string | undefined) =>
    (built === undefined ? undefined : canonical(built, dir)) === (wanted === undefined ? undefined : canonical(wanted));
  if (!same(manifest.failureConverter, spec.failureConverterPath)) {
    return `its failure converter (${manifest.failureConverter ?? 'default'}) is not the worker's (${spec.failureConverterPath ?? 'default'})`;
  }
  if (!same(manifest.payloadConverter, spec.payloadConverterPath)) {
    return `its payload converter (${manifest.payloadConverter ?? 'default'}) is not the worker's (${spec.payloadConverterPath ?? 'default'})`;
  }
  const built = (manifest.workflowInterceptorModules ?? []).map((m) => canonical(m, dir)).sort();
  const wanted = (spec.workflowInterceptorModules ?? []).map((m) => canonical(m)).sort();
  if (built.join('\n') !== wanted.join('\n')) {
    return `its workflow interceptor modules (${built.length}) are not the worker's (${wanted.length})`;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the worker's workflow code comes from:
 * - `bundlePath` given (WORKFLOW_BUNDLE_PATH): that bundle, which must exist and match, else an error;
 * - else a matching `workflow-bundle*.js` beside this module (dist/ in the image);
 * - else `workflowsPath`, bundled by the worker at start (development with tsx, or no match).
 */
export function resolveWorkflowSource(spec: WorkflowCodeSpec, bundlePath?: string, searchDir: string = __dirname): WorkflowSource {
  if (bundlePath !== undefined) {
    const codePath = path.resolve(bundlePath);
    if (!isFile(codePath)) throw new WorkflowBundleError(`Workflow bundle ${codePath} (${WORKFLOW_BUNDLE_PATH_ENV}) does not exist`);
    const mismatch = bundleMismatch(codePath, spec);
    if (mismatch) throw new WorkflowBundleError(`Workflow bundle ${codePath} (${WORKFLOW_BUNDLE_PATH_ENV}) cannot be used: ${mismatch}`);
    return { kind: 'bundle', codePath };
  }
  const candidates = readdirSync(searchDir)
    .filter((name) => /^workflow-bundle(\.[\w-]+)?\.js$/.test(name))
    .sort((a, b) => (a === WORKFLOW_BUNDLE_FILE ? -1 : b === WORKFLOW_BUNDLE_FILE ? 1 : a.localeCompare(b)))
    .map((name) => path.join(searchDir, name))
    .filter(isFile);
  const reasons: string[] = [];
  for (const codePath of candidates) {
    const mismatch = bundleMismatch(codePath, spec);
    if (!mismatch) return { kind: 'bundle', codePath };
    reasons.push(`${path.basename(codePath)}: ${mismatch}`);
  }
  const workflowsPath = require.resolve('./workflows');
  return reasons.length ? { kind: 'source', workflowsPath, reason: `no prebuilt bundle matches this worker (${reasons.join('; ')})` } : { kind: 'source', workflowsPath };
}

/** What a worker asks the child bundling its workflows at start for, and what it hears back. */
export interface BundleAtStartRequest {
  spec: WorkflowCodeSpec;
  workflowsPath: string;
}
export type BundleAtStartReply = { code: string } | { error: string };

/**
 * Bundles the workflows for a worker that has no prebuilt bundle, in a child process
 * (src/bundle-at-start.ts). Webpack run in the worker's own process leaves its memory behind:
 * about 120 MiB of RSS that the worker then keeps for its whole life although the heap is back
 * to its size before (measured: 121 → 245 MiB RSS, docs/benchmarks.md), as much as a hundred
 * cached workflows. A child's memory leaves with it.
 */
export function bundleInChildProcess(request: BundleAtStartRequest): Promise<string> {
  const entry = require.resolve('./bundle-at-start');
  // From src/ (tsx, jest) the child runs TypeScript through tsx, a development dependency; compiled, plain node.
  const execArgv = entry.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
  return new Promise((resolve, reject) => {
    const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: BundleAtStartReply | undefined;
    child.once('message', (message: BundleAtStartReply) => (reply = message));
    child.once('error', (err) => reject(new WorkflowBundleError(`Bundling the workflows at start failed: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (reply && 'code' in reply) resolve(reply.code);
      else reject(new WorkflowBundleError(`Bundling the workflows at start failed: ${reply?.error ?? `the bundler exited with ${signal ?? `code ${code}`}`}`));
    });
    child.send(request);
  });
}

/** The WorkerOptions field for a source: a prebuilt bundle as it is, workflows bundled at start in a child process. */
export async function loadWorkflowCode(source: WorkflowSource, spec: WorkflowCodeSpec): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (source.kind === 'bundle') return { workflowBundle: { codePath: source.codePath } };
  return { workflowBundle: { code: await bundleInChildProcess({ spec, workflowsPath: source.workflowsPath }) } };
}

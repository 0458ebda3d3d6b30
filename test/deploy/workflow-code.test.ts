import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bundleInChildProcess,
  bundleMismatch,
  manifestPathFor,
  resolveWorkflowSource,
  temporalWorkerVersion,
  workflowCodeSpecOf,
  WORKFLOW_BUNDLE_FILE,
  type WorkflowBundleManifest,
} from '../../src/workflow-code';

/**
 * Which workflow code a worker runs: a prebuilt bundle only when its manifest matches the worker
 * (SDK version, converters and workflow interceptors that run in the sandbox), else bundling at
 * start. The bundles here are stand-in files: only the manifests matter for the choice.
 */
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'workflow-code-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeBundle(name: string, manifest: Partial<WorkflowBundleManifest> | null): Promise<string> {
  const codePath = path.join(dir, name);
  await writeFile(codePath, '// bundle\n');
  if (manifest) {
    const full: WorkflowBundleManifest = { format: 1, temporalWorkerVersion: temporalWorkerVersion(), builtAt: new Date().toISOString(), workflowInterceptorModules: [], ...manifest };
    await writeFile(manifestPathFor(codePath), JSON.stringify(full));
  }
  return codePath;
}

async function fakeModule(name: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, 'module.exports = {};\n');
  return file;
}

test('a matching bundle beside the worker is used', async () => {
  const codePath = await fakeBundle(WORKFLOW_BUNDLE_FILE, {});
  expect(resolveWorkflowSource({}, undefined, dir)).toEqual({ kind: 'bundle', codePath });
});

test('no bundle: the workflows are bundled at start, with no complaint', () => {
  const source = resolveWorkflowSource({}, undefined, dir);
  expect(source).toEqual({ kind: 'source', workflowsPath: require.resolve('../../src/workflows') });
});

test('a bundle from another SDK version is skipped, and the reason is given', async () => {
  await fakeBundle(WORKFLOW_BUNDLE_FILE, { temporalWorkerVersion: '0.0.1' });
  const source = resolveWorkflowSource({}, undefined, dir);
  expect(source.kind).toBe('source');
  expect(source.kind === 'source' && source.reason).toMatch(/built by @temporalio\/worker 0\.0\.1, this worker runs \d/);
});

test('a bundle without a manifest is never used', async () => {
  await fakeBundle(WORKFLOW_BUNDLE_FILE, null);
  const source = resolveWorkflowSource({}, undefined, dir);
  expect(source.kind === 'source' && source.reason).toMatch(/no manifest/);
});

test('a worker with a failure converter (payload encryption) gets the bundle built with it, not the plain one', async () => {
  const converter = await fakeModule('failure-converter.js');
  await fakeBundle(WORKFLOW_BUNDLE_FILE, {});
  const encrypted = await fakeBundle('workflow-bundle.encrypted.js', { failureConverter: 'failure-converter.js' });

  expect(resolveWorkflowSource({ failureConverterPath: converter }, undefined, dir)).toEqual({ kind: 'bundle', codePath: encrypted });
  // And the plain worker still gets the plain bundle.
  expect(resolveWorkflowSource({}, undefined, dir)).toEqual({ kind: 'bundle', codePath: path.join(dir, WORKFLOW_BUNDLE_FILE) });
});

test('without a bundle that has its failure converter, the worker bundles at start rather than run without it', async () => {
  const converter = await fakeModule('failure-converter.js');
  await fakeBundle(WORKFLOW_BUNDLE_FILE, {});
  const source = resolveWorkflowSource({ failureConverterPath: converter }, undefined, dir);
  expect(source.kind).toBe('source');
  expect(source.kind === 'source' && source.reason).toMatch(/failure converter \(default\) is not the worker's/);
});

test('workflow interceptor modules must match too', async () => {
  const interceptors = await fakeModule('interceptors.js');
  const codePath = await fakeBundle(WORKFLOW_BUNDLE_FILE, {});
  expect(bundleMismatch(codePath, { workflowInterceptorModules: [interceptors] })).toMatch(/workflow interceptor modules/);
  await fakeBundle(WORKFLOW_BUNDLE_FILE, { workflowInterceptorModules: ['interceptors.js'] });
  expect(bundleMismatch(codePath, { workflowInterceptorModules: [interceptors] })).toBeUndefined();
});

test('an explicit bundle (WORKFLOW_BUNDLE_PATH) must exist and match: an error, not a fallback', async () => {
  expect(() => resolveWorkflowSource({}, path.join(dir, 'missing.js'), dir)).toThrow(/missing\.js \(WORKFLOW_BUNDLE_PATH\) does not exist/);
  const stale = await fakeBundle('stale.js', { temporalWorkerVersion: '0.0.1' });
  expect(() => resolveWorkflowSource({}, stale, dir)).toThrow(/stale\.js \(WORKFLOW_BUNDLE_PATH\) cannot be used: it was built by @temporalio\/worker 0\.0\.1/);
  const good = await fakeBundle('elsewhere.js', {});
  expect(resolveWorkflowSource({}, good, dir)).toEqual({ kind: 'bundle', codePath: good });
});

test('the spec is read from the worker options', () => {
  expect(workflowCodeSpecOf({})).toEqual({});
  expect(workflowCodeSpecOf({ dataConverter: { failureConverterPath: '/x/f.js' }, interceptors: { workflowModules: ['/x/i.js'] } })).toEqual({
    failureConverterPath: '/x/f.js',
    workflowInterceptorModules: ['/x/i.js'],
  });
});

test('bundling at start happens in a child process, whose failure the worker gets as a WorkflowBundleError naming the cause', async () => {
  const missing = path.join(dir, 'no-such-workflows.ts');
  const failure = bundleInChildProcess({ spec: {}, workflowsPath: missing });
  await expect(failure).rejects.toMatchObject({ name: 'WorkflowBundleError' });
  await expect(failure).rejects.toThrow(/^Bundling the workflows at start failed: .*no-such-workflows/s);
}, 60_000);

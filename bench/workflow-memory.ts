/**
 * Heap per cached workflow in the SDK's reusable V8 context: bundles src/workflows, creates N
 * workflow instances the way the worker does (initRuntime evaluates the workflow modules for each),
 * and reports heap and RSS per instance. Run with --expose-gc.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import v8 from 'node:v8';
import { bundleOptionsFor } from '../src/workflow-code';

const MiB = 1024 * 1024;
async function main() {
  const n = Number(process.argv[2] ?? 200);
  // The worker's own bundle options (shared modules included); `none` as the second argument bundles without them, for comparison.
  const options = bundleOptionsFor({});
  const preload = process.argv[3] === 'none' ? [] : (process.argv[3] ?? '').split(',').filter(Boolean);
  const bundle = await bundleWorkflowCode({ ...options, ...(process.argv[3] !== undefined && { preloadModules: preload }) });
  console.log(`bundle ${(bundle.code.length / MiB).toFixed(2)} MiB, preload: ${(process.argv[3] === undefined ? options.preloadModules! : preload).join(',') || '-'}`);
  const at = bundle.code.lastIndexOf('//# sourceMappingURL=data:');
  const sourceMap = JSON.parse(Buffer.from(bundle.code.slice(at).split('base64,')[1]!, 'base64').toString()) as object;
  const workflowBundle = { code: bundle.code, sourceMap, filename: '/tmp/workflow-bundle.js' };
  const creator = await ReusableVMWorkflowCreator.create(workflowBundle as never, 5000, new Set<string>(), undefined as never);
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const before = { heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss };
  const keep: unknown[] = [];
  const began = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const info = {
      workflowType: 'merchantRemediation', workflowId: `wf-${i}`, runId: `run-${i}`, namespace: 'default', taskQueue: 'q',
      firstExecutionRunId: `run-${i}`, attempt: 1, historyLength: 1, historySize: 0, continueAsNewSuggested: false,
      searchAttributes: {}, typedSearchAttributes: [], memo: {}, startTime: new Date(), runStartTime: new Date(),
      unsafe: { isReplaying: false, now: Date.now }, priority: {},
    };
    keep.push(await creator.createWorkflow({ info: info as never, randomnessSeed: [1, 2], now: Date.now(), showStackTraceSources: false }));
  }
  const cpu = process.cpuUsage(began);
  console.log(`instantiation: ${((cpu.user + cpu.system) / 1000 / Math.max(1, n)).toFixed(2)} CPU-ms per workflow`);
  gc();
  const after = { heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss };
  console.log(
    `${n} workflows: heap +${((after.heap - before.heap) / MiB).toFixed(1)} MiB (${((after.heap - before.heap) / 1024 / n).toFixed(0)} KiB each), ` +
      `rss +${((after.rss - before.rss) / MiB).toFixed(1)} MiB (${((after.rss - before.rss) / 1024 / n).toFixed(0)} KiB each)`,
  );
  if (process.argv[4]) v8.writeHeapSnapshot(process.argv[4]);
  console.log(keep.length);
}
main().catch((e) => { console.error(e); process.exit(1); });

/**
 * Heap per cached workflow in the SDK's reusable V8 context: bundles src/workflows, creates N
 * workflow instances the way the worker does (initRuntime evaluates the workflow modules for each),
 * and reports heap and RSS per instance. Run with --expose-gc.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import v8 from 'node:v8';
import { bundleOptionsFor } from '../src/workflow-code';
import { createWorkflowInstance, workflowCreator } from '../test/support/workflow-instances';

const MiB = 1024 * 1024;
async function main() {
  const n = Number(process.argv[2] ?? 200);
  // The worker's own bundle options (shared modules included); a second argument names other preload modules, `none` for none.
  const options = bundleOptionsFor({});
  const arg = process.argv[3];
  const preloadModules = arg === undefined ? options.preloadModules! : arg === 'none' ? [] : arg.split(',');
  const bundle = await bundleWorkflowCode({ ...options, preloadModules });
  console.log(`bundle ${(bundle.code.length / MiB).toFixed(2)} MiB, preload: ${preloadModules.join(',') || '-'}`);
  const creator = await workflowCreator(bundle, 5000);
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const before = { heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss };
  const keep: unknown[] = [];
  const began = process.cpuUsage();
  for (let i = 0; i < n; i++) keep.push(await createWorkflowInstance(creator, i));
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

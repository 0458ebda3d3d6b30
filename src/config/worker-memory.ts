import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

/**
 * The default size of the worker's sticky cache (the SDK's `maxCachedWorkflows`), from a memory
 * budget instead of the heap. The SDK sizes it at about 600 workflows per GiB of V8 heap
 * (docs.temporal.io/develop/worker-performance/workflow-cache; the SDK's
 * worker-options.ts), and V8's heap limit follows the machine's RAM, not the container's: on a
 * 23.5 GiB machine that is 2,310 slots, and 5,000 remediations parked on another party's link
 * filled them (4.7 GiB of worker RSS). A parked remediation needs no slot: one evicted replays
 * its short history when it wakes (docs/benchmarks.md).
 */

const MiB = 1024 * 1024;

/**
 * The budget when the process has no memory limit of its own (no cgroup limit): 1 GiB, about 220
 * slots, enough for a sweep's remediations in flight. A smaller one (450 MiB, 18 slots) kept 5,000
 * parked at 530–640 MiB but doubled a sweep's worker CPU, when every cache miss reloaded the
 * workflow modules (about 20 ms then, about 1 ms with the shared modules), docs/benchmarks.md.
 */
export const DEFAULT_MEMORY_BUDGET_MIB = 1024;

/**
 * The worker's RSS with an empty cache, measured by `npm run bench -- --accounts 0` before the
 * first start: 258 MiB (Node, tsx, Core, the workflow thread and its shared modules). It was
 * 354–396 MiB while the worker ran webpack in its own process (src/workflow-code.ts,
 * `bundleInChildProcess`).
 */
export const WORKER_BASE_MIB = 264;

/**
 * RSS per cache slot, measured with `--max-cached-workflows` 100 and 250 against the SDK's
 * default (docs/benchmarks.md) when each cached workflow held its own copy of the workflow
 * modules' state (about 1.1 MiB of heap, mostly zod schemas) plus its activator, about 1.8 MiB
 * in all, and the heap's garbage between collections about doubled that while the cache turned
 * over. The domain modules and zod are now shared (src/workflows/shared-modules.ts, about 60 KiB
 * per workflow left), so this allowance is generous; it is kept until it is measured again.
 */
export const RSS_PER_CACHED_WORKFLOW_MIB = 3.5;

/** The SDK's own floor (worker-options.ts): at least 10 slots. */
export const MIN_CACHED_WORKFLOWS = 10;

/**
 * The cgroup memory limit of this process in bytes, if one is set: cgroup v2 `memory.max`
 * ("max" is none), else cgroup v1 `memory.limit_in_bytes` (an unlimited v1 group reads as a
 * number near 2^63). `read` is for tests.
 */
export function cgroupMemoryLimitBytes(read: (file: string) => string | undefined = readIfExists): number | undefined {
  const v2 = read('/sys/fs/cgroup/memory.max')?.trim();
  if (v2 !== undefined && v2 !== '') return parseLimit(v2);
  const v1 = read('/sys/fs/cgroup/memory/memory.limit_in_bytes')?.trim();
  if (v1 !== undefined && v1 !== '') return parseLimit(v1);
  return undefined;
}

/** A limit file's value; "max" or anything at or above 2^60 bytes (an unlimited v1 group) is no limit. */
export function parseLimit(text: string): number | undefined {
  if (text === 'max' || !/^\d+$/.test(text)) return undefined;
  const bytes = Number(text);
  return bytes > 0 && bytes < 2 ** 60 ? bytes : undefined;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The SDK's default for this heap with reuseV8Context (its worker-options.ts): the most the heap holds. */
export function sdkDefaultMaxCachedWorkflows(heapLimitBytes: number = v8.getHeapStatistics().heap_size_limit): number {
  return Math.max(Math.floor((Math.max(heapLimitBytes / MiB - 200, 0) * 600) / 1024), 10);
}

export interface CacheSizing {
  maxCachedWorkflows: number;
  budgetMiB: number;
  /** Where the budget came from. */
  budgetFrom: 'WORKER_MEMORY_BUDGET_MIB' | 'cgroup' | 'default';
}

/**
 * Cache slots for a budget: what is left after the worker's own footprint, per slot, at least
 * the SDK's floor and never more than the SDK's heap-based default.
 */
export function maxCachedWorkflowsFor(budgetMiB: number, heapLimitBytes?: number): number {
  const slots = Math.floor((budgetMiB - WORKER_BASE_MIB) / RSS_PER_CACHED_WORKFLOW_MIB);
  return Math.min(Math.max(slots, MIN_CACHED_WORKFLOWS), sdkDefaultMaxCachedWorkflows(heapLimitBytes));
}

/** The default sticky cache: WORKER_MEMORY_BUDGET_MIB, else the cgroup limit, else DEFAULT_MEMORY_BUDGET_MIB. */
export function defaultCacheSizing(
  budgetMiB: number | undefined,
  opts: { cgroupLimitBytes?: number | undefined; heapLimitBytes?: number } = { cgroupLimitBytes: cgroupMemoryLimitBytes() },
): CacheSizing {
  const [budget, budgetFrom]: [number, CacheSizing['budgetFrom']] =
    budgetMiB !== undefined
      ? [budgetMiB, 'WORKER_MEMORY_BUDGET_MIB']
      : opts.cgroupLimitBytes !== undefined
        ? [Math.floor(opts.cgroupLimitBytes / MiB), 'cgroup']
        : [DEFAULT_MEMORY_BUDGET_MIB, 'default'];
  return { maxCachedWorkflows: maxCachedWorkflowsFor(budget, opts.heapLimitBytes), budgetMiB: budget, budgetFrom };
}

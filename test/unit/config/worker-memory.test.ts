import {
  DEFAULT_MEMORY_BUDGET_MIB,
  MIN_CACHED_WORKFLOWS,
  cgroupMemoryLimitBytes,
  defaultCacheSizing,
  maxCachedWorkflowsFor,
  parseLimit,
  sdkDefaultMaxCachedWorkflows,
} from '../../../src/config/worker-memory';
import { WORKER_SETTINGS } from '../../../src/config/worker-config';
import { readSettings } from '../../../src/domain/settings';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** The heap of the 23.5 GiB development machine, where the SDK's default is 2,310. */
const BIG_HEAP = 4144 * MiB;

describe('the default sticky cache, from a memory budget', () => {
  it('reads cgroup v2 memory.max, "max" meaning no limit', () => {
    expect(cgroupMemoryLimitBytes((f) => (f === '/sys/fs/cgroup/memory.max' ? '1073741824\n' : undefined))).toBe(GiB);
    expect(cgroupMemoryLimitBytes((f) => (f === '/sys/fs/cgroup/memory.max' ? 'max\n' : undefined))).toBeUndefined();
  });

  it('falls back to cgroup v1, where an unlimited group reads as a number near 2^63', () => {
    const v1 = (value: string) => (f: string) => (f === '/sys/fs/cgroup/memory/memory.limit_in_bytes' ? value : undefined);
    expect(cgroupMemoryLimitBytes(v1('536870912'))).toBe(512 * MiB);
    expect(cgroupMemoryLimitBytes(v1('9223372036854771712\n'))).toBeUndefined();
    expect(cgroupMemoryLimitBytes(() => undefined)).toBeUndefined();
  });

  it('ignores what is not a byte count', () => {
    expect(parseLimit('')).toBeUndefined();
    expect(parseLimit('-1')).toBeUndefined();
    expect(parseLimit('0')).toBeUndefined();
    expect(parseLimit('12.5')).toBeUndefined();
  });

  it('gives the 1 GiB default budget 217 slots, the SDK 2,310 on the same heap', () => {
    expect(sdkDefaultMaxCachedWorkflows(BIG_HEAP)).toBe(2310);
    expect(DEFAULT_MEMORY_BUDGET_MIB).toBe(1024);
    expect(maxCachedWorkflowsFor(1024, BIG_HEAP)).toBe(217);
    // Parked or not, the worker stays within the budget: its own 264 MiB plus the slots at 3.5 MiB each.
    expect(264 + maxCachedWorkflowsFor(1024, BIG_HEAP) * 3.5).toBeLessThanOrEqual(1024);
    expect(maxCachedWorkflowsFor(450, BIG_HEAP)).toBe(53);
  });

  it('grows with the budget, keeps the SDK floor, and never exceeds what the heap holds', () => {
    expect(maxCachedWorkflowsFor(2048, BIG_HEAP)).toBe(509);
    expect(maxCachedWorkflowsFor(256, BIG_HEAP)).toBe(MIN_CACHED_WORKFLOWS);
    expect(maxCachedWorkflowsFor(64 * 1024, BIG_HEAP)).toBe(2310);
    expect(maxCachedWorkflowsFor(64 * 1024, 1024 * MiB)).toBe(sdkDefaultMaxCachedWorkflows(1024 * MiB));
  });

  it('takes WORKER_MEMORY_BUDGET_MIB first, then the cgroup limit, then the default', () => {
    expect(defaultCacheSizing(1024, { cgroupLimitBytes: 4 * GiB, heapLimitBytes: BIG_HEAP })).toEqual({
      maxCachedWorkflows: 217,
      budgetMiB: 1024,
      budgetFrom: 'WORKER_MEMORY_BUDGET_MIB',
    });
    expect(defaultCacheSizing(undefined, { cgroupLimitBytes: GiB, heapLimitBytes: BIG_HEAP })).toEqual({ maxCachedWorkflows: 217, budgetMiB: 1024, budgetFrom: 'cgroup' });
    expect(defaultCacheSizing(undefined, { heapLimitBytes: BIG_HEAP })).toEqual({ maxCachedWorkflows: 217, budgetMiB: 1024, budgetFrom: 'default' });
  });

  it('reads the budget and an explicit cache size from the environment', () => {
    const env = { FILES_ROOT: __dirname };
    expect(readSettings(WORKER_SETTINGS, { ...env, WORKER_MEMORY_BUDGET_MIB: '1024' }).memoryBudgetMiB).toBe(1024);
    expect(readSettings(WORKER_SETTINGS, env).memoryBudgetMiB).toBeUndefined();
    expect(readSettings(WORKER_SETTINGS, { ...env, TEMPORAL_MAX_CACHED_WORKFLOWS: '500' }).maxCachedWorkflows).toBe(500);
    expect(() => readSettings(WORKER_SETTINGS, { ...env, WORKER_MEMORY_BUDGET_MIB: '0' })).toThrow(/WORKER_MEMORY_BUDGET_MIB/);
  });
});

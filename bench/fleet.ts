import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { SweepSummary } from '../src/domain/sweep-input';
import { remediationWorkflowId } from '../src/domain/workflow-ids';
import { createSweepSchedule, sweepSchedule } from '../src/sweep-client';
import { mapBounded } from '../src/workflows/bounded-parallel';
import { triggerAndAwait } from '../test/fleet/support/fleet-sweep';
import { indexes, type BenchHarness } from './harness';
import { readCpuMs } from './proc';
import { percentiles, requestStats, round, type Percentiles } from './stats';

/**
 * A sweep of a whole fleet as production runs it: a Temporal Schedule's remediationSweep over N
 * connected accounts, each with a requirement error, so each gets a remediation that sends its
 * merchant a link. Under the per-account reading with the worker's defaults. Measured: that it
 * completes (every account exactly one link, every remediation completed), its Moov requests/s,
 * and history events per run (the sweep's continue-as-new runs and the remediations).
 */
export interface FleetRun {
  accounts: number;
  summary: SweepSummary;
  /** Schedule trigger → the last remediation closed. */
  wallSeconds: number;
  accountsPerSecond: number;
  moovRequests: number;
  moovRequestsPerSecond: number;
  peakAccountSliding: number;
  completed: number;
  /** Accounts without exactly one link to their merchant, or without a completed remediation. */
  wrong: number;
  sweepRuns: number;
  sweepHistoryEvents: Percentiles & { mean: number };
  remediationHistoryEvents: Percentiles & { mean: number };
  workerCpuMsPerAccount: number;
}

const CAPABILITY_ERROR = { requirement: 'business.ein', errorCode: 'document-name-mismatch' };

const withMean = (values: number[]) => ({ ...percentiles(values), mean: round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length), 1) });

export async function fleetSweep(harness: BenchHarness, opts: { accounts: number; log: (line: string) => void }): Promise<FleetRun> {
  const worker = await harness.useWorker('account', { fresh: true });
  const admin = harness.admin!;
  const client = harness.env.client;
  const fleet = await mapBounded(indexes(opts.accounts), 50, async (i) => {
    const email = `fleet-${i}@merchant.test`;
    const { accountID } = await admin.seedAccount({
      displayName: `Fleet merchant ${i}`,
      email,
      capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { currentlyDue: [], errors: [CAPABILITY_ERROR] } }],
    });
    return { accountID, email };
  });
  await admin.call('DELETE', '/_sandbox/requests');
  opts.log(`fleet: seeded ${fleet.length} accounts, each with a requirement error`);

  const scheduleId = `bench-sweep-${randomUUID()}`;
  await createSweepSchedule(client, {
    scheduleId,
    cadence: { every: '24h' },
    taskQueue: harness.taskQueue,
    input: { remediation: { options: { followThrough: false } }, pageSize: 100 },
  });
  const schedule = sweepSchedule(client, scheduleId);
  const cpu0 = readCpuMs(worker.pid!);
  const began = Date.now();
  let sweep: Awaited<ReturnType<typeof triggerAndAwait>>;
  try {
    sweep = await triggerAndAwait(client, schedule, 0);
    opts.log(`fleet: sweep done after ${((Date.now() - began) / 1000).toFixed(0)} s: scanned ${sweep.summary.scanned}, started ${sweep.summary.started}`);
  } finally {
    await schedule.delete();
  }
  const { summary, workflowId, runIds } = sweep;
  const closes = await mapBounded(fleet, 32, async ({ accountID }) => {
    const handle = client.workflow.getHandle(remediationWorkflowId(accountID));
    try {
      await handle.result();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) return { completed: false, close: Date.now(), events: 0 };
    }
    const d = await handle.describe().catch(() => undefined);
    return { completed: d?.status.name === 'COMPLETED', close: d?.closeTime?.getTime() ?? Date.now(), events: d?.historyLength ?? 0 };
  });
  const lastClose = closes.reduce((a, c) => Math.max(a, c.close), -Infinity);
  const workerCpuMs = readCpuMs(worker.pid!) - cpu0;
  const wallSeconds = (lastClose - began) / 1000;
  opts.log(`fleet: all remediations closed ${wallSeconds.toFixed(0)} s after the trigger`);

  const sweepEvents = await mapBounded(runIds, 4, async (runId) => (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events?.length ?? 0);
  const states = await mapBounded(fleet, 20, async (m) => (await admin.state(m.accountID)).resolutionLinks);
  const wrong = fleet.filter((m, i) => states[i]!.length !== 1 || states[i]![0]!.recipient !== m.email || !closes[i]!.completed).length;
  const requests = requestStats(await admin.requests(), 1);
  return {
    accounts: fleet.length,
    summary,
    wallSeconds: round(wallSeconds, 1),
    accountsPerSecond: round(fleet.length / wallSeconds, 2),
    moovRequests: requests.total,
    moovRequestsPerSecond: round(requests.total / wallSeconds, 1),
    peakAccountSliding: requests.peakAccountSliding,
    completed: closes.filter((c) => c.completed).length,
    wrong,
    sweepRuns: sweepEvents.length,
    sweepHistoryEvents: withMean(sweepEvents),
    remediationHistoryEvents: withMean(closes.map((c) => c.events)),
    workerCpuMsPerAccount: round(workerCpuMs / fleet.length, 1),
  };
}

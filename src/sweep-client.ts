import { ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleSpec, type WorkflowHandle } from '@temporalio/client';
import { parseSweepInput, SWEEP_WORKFLOW_ID_PREFIX, type SweepInput } from './domain/sweep-input';
import { DEFAULT_TASK_QUEUE } from './domain/workflow-ids';
import type { remediationSweep } from './workflows';

/**
 * Remediation sweeps for the onboarding backend and operators: run one now, or keep one on a
 * Temporal Schedule (overlap SKIP: a slow sweep is never doubled by the next tick).
 */

export const DEFAULT_SCHEDULE_ID = 'remediation-sweep';

export class InvalidSweepInputError extends Error {
  override readonly name = 'InvalidSweepInputError';
}

function validSweepInput(input: SweepInput): SweepInput {
  const parsed = parseSweepInput(input);
  if (!parsed.ok) throw new InvalidSweepInputError(parsed.message);
  return parsed.input;
}

/** Starts a sweep now; its id says it was manual and when. */
export async function runSweep(
  client: Client,
  input: SweepInput,
  options: { taskQueue?: string } = {},
): Promise<WorkflowHandle<typeof remediationSweep>> {
  const valid = validSweepInput(input);
  return client.workflow.start<typeof remediationSweep>('remediationSweep', {
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId: `${SWEEP_WORKFLOW_ID_PREFIX}-manual-${new Date().toISOString()}`,
    args: [valid],
    staticSummary: valid.dryRun ? 'Remediation sweep (dry run)' : 'Remediation sweep',
  });
}

export type SweepCadence = { every: string } | { cron: string };

export interface CreateSweepScheduleOptions {
  cadence: SweepCadence;
  input: SweepInput;
  scheduleId?: string;
  taskQueue?: string;
  /** How far back missed runs are caught up after an outage; older ticks are dropped. */
  catchupWindow?: string;
  note?: string;
}

export async function createSweepSchedule(client: Client, options: CreateSweepScheduleOptions): Promise<string> {
  const input = validSweepInput(options.input);
  const spec: ScheduleSpec = 'every' in options.cadence ? { intervals: [{ every: options.cadence.every as never }] } : { cronExpressions: [options.cadence.cron] };
  const scheduleId = options.scheduleId ?? DEFAULT_SCHEDULE_ID;
  await client.schedule.create({
    scheduleId,
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: 'remediationSweep',
      workflowId: SWEEP_WORKFLOW_ID_PREFIX,
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      args: [input],
      staticSummary: 'Scheduled remediation sweep',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: (options.catchupWindow ?? '1 hour') as never },
    state: { note: options.note ?? 'created by moov-remediation-worker' },
  });
  return scheduleId;
}

export function sweepSchedule(client: Client, scheduleId = DEFAULT_SCHEDULE_ID) {
  const handle = client.schedule.getHandle(scheduleId);
  return {
    pause: (note = 'paused by an operator') => handle.pause(note),
    unpause: (note = 'unpaused by an operator') => handle.unpause(note),
    /** Runs a sweep now; skipped if one from this schedule is still running (overlap SKIP). */
    trigger: () => handle.trigger(),
    delete: () => handle.delete(),
    describe: (): Promise<ScheduleDescription> => handle.describe(),
  };
}

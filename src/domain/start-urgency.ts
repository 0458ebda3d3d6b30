import type { Priority } from '@temporalio/common';

/**
 * Who waits for a remediation: `interactive`, a merchant the onboarding backend is onboarding now
 * (the client API's default), or `bulk`, work a sweep, a webhook's triage or a backfill started
 * for many accounts. Bulk work yields to interactive work at every step, so a sweep of thousands
 * never delays a new merchant (docs/deploying.md, "Per-account pacing").
 *
 * Fairness keys alone cannot do that: the server gives a fairness key it has not seen the current
 * level, so a new merchant's first task ties with a thousand other accounts' first tasks and goes
 * in arrival order. Priority keys are strict (lower runs first), so the two kinds of start each get
 * a band of STEP_LEVELS levels (docs.temporal.io/develop/task-queue-priority-fairness): the task
 * queue needs PRIORITY_LEVELS (`matching.priorityLevels`); a server with the default 5 clips the
 * bulk band to its lowest level, level with an interactive remediation's first step.
 */
export const START_URGENCIES = ['interactive', 'bulk'] as const;
export type StartUrgency = (typeof START_URGENCIES)[number];

/** The levels of one band: a remediation's steps, ordered (src/workflows/activity-proxies.ts). */
export const STEP_LEVELS = 5;
export const PRIORITY_LEVELS = 2 * STEP_LEVELS;

const BAND_OFFSET: Record<StartUrgency, number> = { interactive: 0, bulk: STEP_LEVELS };

/** A step's priority key (1 … STEP_LEVELS within its band) for this kind of start. */
export function bandedPriorityKey(stepLevel: number, urgency: StartUrgency): number {
  return stepLevel + BAND_OFFSET[urgency];
}

/** The remediation workflow's own priority (its workflow tasks: the middle of its band) and fairness key. */
export function remediationPriority(accountID: string, urgency: StartUrgency): Priority {
  return { priorityKey: bandedPriorityKey(Math.ceil(STEP_LEVELS / 2), urgency), fairnessKey: accountID };
}

/** The kind of start a workflow's priority says; unset (runs started before bands) is interactive. */
export function urgencyOf(priority: Priority | undefined): StartUrgency {
  return (priority?.priorityKey ?? 0) > STEP_LEVELS ? 'bulk' : 'interactive';
}

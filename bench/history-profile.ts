import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { SandboxAdmin } from '../test/support/sandbox-admin';
import { round } from './stats';

const E = temporal.api.enums.v1.EventType;

/**
 * Where a remediation's time goes, from its history: how long tasks waited in the queue before a
 * worker took them (schedule → start), how long the worker took (start → complete), and the rest.
 * Means in ms over the sampled workflows. Activity "queue wait" includes the task-queue rate
 * limit; a retried activity's wait includes its backoff (Temporal records only the last attempt).
 */
export interface TimeBreakdown {
  sampled: number;
  /** Workflow tasks that timed out (the worker held one over 10 s) in the sampled histories. */
  workflowTaskTimeouts: number;
  workflowTasksPerRemediation: number;
  activitiesPerRemediation: number;
  /** Sum per remediation of each kind, in ms (means over the sample). */
  perRemediationMs: {
    total: number;
    workflowTaskQueueWait: number;
    workflowTaskProcessing: number;
    activityQueueWait: number;
    activityExecution: number;
  };
  /** Per task, in ms (means). */
  perTaskMs: { workflowTaskQueueWait: number; workflowTaskProcessing: number; activityQueueWait: number; activityExecution: number };
}

function ms(ts: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  if (!ts) return NaN;
  return Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

export async function profileHistories(handles: WorkflowHandle[], sample = 30): Promise<TimeBreakdown> {
  const step = Math.max(1, Math.floor(handles.length / sample));
  const picked = handles.filter((_, i) => i % step === 0).slice(0, sample);
  const sums = { total: 0, wftWait: 0, wftRun: 0, actWait: 0, actRun: 0, wfts: 0, acts: 0, wftTimeouts: 0 };
  for (const handle of picked) {
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const at = new Map<number, number>();
    for (const e of events) at.set(Number(e.eventId), ms(e.eventTime));
    sums.total += ms(events[events.length - 1]?.eventTime) - ms(events[0]?.eventTime);
    for (const e of events) {
      const t = ms(e.eventTime);
      switch (e.eventType) {
        case E.EVENT_TYPE_WORKFLOW_TASK_STARTED:
          sums.wftWait += t - (at.get(Number(e.workflowTaskStartedEventAttributes?.scheduledEventId)) ?? t);
          sums.wfts += 1;
          break;
        case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
          sums.wftRun += t - (at.get(Number(e.workflowTaskCompletedEventAttributes?.startedEventId)) ?? t);
          break;
        case E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
          sums.wftTimeouts += 1;
          break;
        case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
          sums.actWait += t - (at.get(Number(e.activityTaskStartedEventAttributes?.scheduledEventId)) ?? t);
          sums.acts += 1;
          break;
        case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
          sums.actRun += t - (at.get(Number(e.activityTaskCompletedEventAttributes?.startedEventId)) ?? t);
          break;
        case E.EVENT_TYPE_ACTIVITY_TASK_FAILED:
          sums.actRun += t - (at.get(Number(e.activityTaskFailedEventAttributes?.startedEventId)) ?? t);
          break;
      }
    }
  }
  const n = Math.max(1, picked.length);
  return {
    sampled: picked.length,
    workflowTaskTimeouts: sums.wftTimeouts,
    workflowTasksPerRemediation: round(sums.wfts / n, 1),
    activitiesPerRemediation: round(sums.acts / n, 1),
    perRemediationMs: {
      total: round(sums.total / n, 0),
      workflowTaskQueueWait: round(sums.wftWait / n, 0),
      workflowTaskProcessing: round(sums.wftRun / n, 0),
      activityQueueWait: round(sums.actWait / n, 0),
      activityExecution: round(sums.actRun / n, 0),
    },
    perTaskMs: {
      workflowTaskQueueWait: round(sums.wftWait / Math.max(1, sums.wfts), 1),
      workflowTaskProcessing: round(sums.wftRun / Math.max(1, sums.wfts), 1),
      activityQueueWait: round(sums.actWait / Math.max(1, sums.acts), 1),
      activityExecution: round(sums.actRun / Math.max(1, sums.acts), 1),
    },
  };
}

/** The slowest remediation, explained: its activities' final attempts and their last failures. */
export interface SlowestRemediation {
  workflowId: string;
  seconds: number;
  activities: { type: string; attempts: number; scheduledAtS: number; startedAtS: number; closedAtS: number; lastFailure?: string }[];
  workflowTaskTimeouts: number;
  /** What the sandbox saw from this account, in order (seconds after the workflow started). */
  moovRequests?: { atS: number; route: string | null; status: number | null; faulted: boolean }[];
}

export async function explainSlowest(handle: WorkflowHandle, admin?: SandboxAdmin, accountID?: string): Promise<SlowestRemediation> {
  const events = (await handle.fetchHistory()).events ?? [];
  const t0 = ms(events[0]?.eventTime);
  const rel = (e: temporal.api.history.v1.IHistoryEvent | undefined) => round((ms(e?.eventTime) - t0) / 1000, 2);
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const activities: SlowestRemediation['activities'] = [];
  for (const e of events) {
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (!closed) continue;
    const started = byId.get(Number(closed.startedEventId));
    const scheduled = byId.get(Number(closed.scheduledEventId));
    const attrs = started?.activityTaskStartedEventAttributes;
    const lastFailure = attrs?.lastFailure?.message;
    activities.push({
      type: scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
      attempts: attrs?.attempt ?? 1,
      scheduledAtS: rel(scheduled),
      startedAtS: rel(started),
      closedAtS: rel(e),
      ...(lastFailure && { lastFailure: lastFailure.slice(0, 160) }),
    });
  }
  const requests = admin && accountID ? await admin.requests({ accountID }) : undefined;
  return {
    workflowId: handle.workflowId,
    seconds: rel(events[events.length - 1]),
    activities,
    workflowTaskTimeouts: events.filter((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT).length,
    ...(requests && {
      moovRequests: requests.map((r) => ({ atS: round((Date.parse(r.at) - t0) / 1000, 2), route: r.route, status: r.status, faulted: r.faultId !== undefined })),
    }),
  };
}

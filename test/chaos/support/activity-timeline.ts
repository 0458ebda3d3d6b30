import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The file activities, whose attempts explain a duplicate or a lost file at Moov. */
const TRACED_ACTIVITIES = new Set(['planFileUploads', 'uploadFile']);

/**
 * Every run of a workflow id with its file activities, from Temporal's own histories: what each
 * activity was given, which attempt ended it (with the failure of the attempt before), and what it
 * returned. History keeps only an activity's last attempt (docs.temporal.io/encyclopedia/retry-policies),
 * so the earlier failure is what shows that a retry happened and why.
 */
export async function activityTimeline(client: Client, workflowId: string): Promise<string> {
  const lines: string[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    lines.push(`  run ${run.runId} ${run.status.name} ${run.startTime.toISOString()}–${run.closeTime?.toISOString() ?? ''}`);
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    lines.push(...describeActivities(history.events ?? []));
  }
  return lines.join('\n');
}

function describeActivities(events: HistoryEvent[]): string[] {
  const scheduled = new Map<string, { type: string; input: string }>();
  const lines: string[] = [];
  for (const event of events) {
    const at = eventTime(event);
    const schedule = event.activityTaskScheduledEventAttributes;
    if (schedule && TRACED_ACTIVITIES.has(schedule.activityType?.name ?? '')) {
      const input = brief(schedule.input?.payloads?.[0]);
      scheduled.set(String(event.eventId), { type: schedule.activityType!.name!, input });
      lines.push(`    ${at} #${event.eventId} scheduled ${schedule.activityType!.name} ${input}`);
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.has(String(started.scheduledEventId))) {
      const before = started.lastFailure?.message ? `; the attempt before: ${started.lastFailure.message.slice(0, 200)}` : '';
      lines.push(`    ${at} #${started.scheduledEventId} started attempt ${started.attempt} on ${started.identity}${before}`);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && scheduled.has(String(completed.scheduledEventId))) {
      lines.push(`    ${at} #${completed.scheduledEventId} completed ${brief(completed.result?.payloads?.[0])}`);
    }
    const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (failed && scheduled.has(String(failed.scheduledEventId))) {
      lines.push(`    ${at} #${failed.scheduledEventId} ended: ${failed.failure?.message?.slice(0, 200) ?? 'failed'}`);
    }
  }
  return lines;
}

function eventTime(event: HistoryEvent): string {
  const seconds = Number(event.eventTime?.seconds ?? 0);
  return new Date(seconds * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6)).toISOString();
}

function brief(payload: Payload | null | undefined): string {
  if (!payload) return '';
  try {
    return JSON.stringify(defaultPayloadConverter.fromPayload(payload)).slice(0, 300);
  } catch {
    return '(undecodable)';
  }
}

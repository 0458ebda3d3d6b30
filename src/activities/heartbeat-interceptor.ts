import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { heartbeatIntervalMs, heartbeatsItself } from '../domain/activity-timeouts';

/**
 * Heartbeats on a timer while an activity runs, for the activities that do not heartbeat
 * themselves. Their start-to-close is sized for the longest requests the HTTP timeouts allow
 * (minutes), so without a heartbeat a worker that dies mid-call would hold the step that long;
 * with one Temporal retries after the heartbeat timeout
 * (docs.temporal.io/encyclopedia/detecting-activity-failures#heartbeat-timeout).
 *
 * The first beat comes one interval after the start, not at it: the server counts the heartbeat
 * timeout from the attempt's start, so a beat at the start tells it nothing, and it cost one
 * heartbeat call to the server (Core sends a first heartbeat at once) for every call, which
 * nearly all end well within the interval.
 */
export function heartbeatInterceptor(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const timeoutMs = ctx.info.heartbeatTimeoutMs;
        if (!timeoutMs || heartbeatsItself(ctx.info.activityType)) return next(input);
        const timer = setInterval(() => ctx.heartbeat(), heartbeatIntervalMs(timeoutMs));
        try {
          return await next(input);
        } finally {
          clearInterval(timer);
        }
      },
    },
  });
}

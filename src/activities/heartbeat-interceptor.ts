import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { heartbeatIntervalMs, heartbeatsItself } from '../domain/activity-timeouts';

/**
 * Heartbeats on a timer while an activity runs, for the activities that do not heartbeat
 * themselves. Their start-to-close is sized for the longest requests the HTTP timeouts allow
 * (minutes), so without a heartbeat a worker that dies mid-call would hold the step that long;
 * with one Temporal retries after the heartbeat timeout
 * (docs.temporal.io/encyclopedia/detecting-activity-failures#heartbeat-timeout).
 */
export function heartbeatInterceptor(): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const timeoutMs = ctx.info.heartbeatTimeoutMs;
        if (!timeoutMs || heartbeatsItself(ctx.info.activityType)) return next(input);
        ctx.heartbeat();
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

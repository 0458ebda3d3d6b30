import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Logger, type MetricCounter, type MetricHistogram, type MetricMeter } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { MoovExchange, MoovExchangeObserver } from '../moov';
import { METRICS } from '../domain/metric-names';

/** The project's instruments on the Temporal Runtime's meter (a no-op meter when metrics are off). */
export interface RemediationMetrics {
  moovRequests: MetricCounter;
  moovRateLimited: MetricCounter;
  moovRequestLatency: MetricHistogram;
  activityRetries: MetricCounter;
  waitHintsHonoured: MetricCounter;
}

const byMeter = new WeakMap<MetricMeter, RemediationMetrics>();

/** Instruments are created once per meter and tagged per recording. */
export function remediationMetrics(meter: MetricMeter): RemediationMetrics {
  let metrics = byMeter.get(meter);
  if (!metrics) {
    metrics = {
      moovRequests: meter.createCounter(METRICS.moovRequests, undefined, 'Moov API requests by operation, route and status'),
      moovRateLimited: meter.createCounter(METRICS.moovRateLimited, undefined, 'Moov API answers with 429 Too Many Requests'),
      moovRequestLatency: meter.createHistogram(METRICS.moovRequestLatency, 'float', 'ms', 'Moov API request latency in milliseconds'),
      activityRetries: meter.createCounter(METRICS.activityRetries, undefined, 'Activity attempts after the first'),
      waitHintsHonoured: meter.createCounter(
        METRICS.waitHintsHonoured,
        undefined,
        "Activity failures retried after Moov's wait hint (Retry-After, X-Retry-In) as nextRetryDelay",
      ),
    };
    byMeter.set(meter, metrics);
  }
  return metrics;
}

/** The running activity's logger (it adds workflowId, runId, activityType, attempt…), if any. */
function activityLogger(): Logger | undefined {
  try {
    return Context.current().log;
  } catch {
    return undefined;
  }
}

export interface MoovObserverDeps {
  /** Runtime meter: `Runtime.instance().metricMeter`. */
  meter: MetricMeter;
  /** For calls made outside an activity (the demo's set-up, scripts). */
  logger: Logger;
}

/**
 * The MoovClient's `onExchange` hook: counts and times every Moov exchange and writes one log
 * line with Moov's request id. Inside an activity the line goes through the activity's logger, so
 * it carries the workflow, run, activity type, attempt and accountID. No headers, no bodies.
 */
export function moovExchangeObserver({ meter, logger }: MoovObserverDeps): MoovExchangeObserver {
  const metrics = remediationMetrics(meter);
  return (exchange: MoovExchange) => {
    const status = exchange.status !== undefined ? String(exchange.status) : (exchange.errorKind ?? 'unknown');
    const tags = { operation: exchange.operation, method: exchange.method, route: exchange.route, status };
    metrics.moovRequests.add(1, tags);
    metrics.moovRequestLatency.record(exchange.durationMs, tags);
    if (exchange.status === 429) metrics.moovRateLimited.add(1, { operation: exchange.operation, route: exchange.route });

    const failed = exchange.status === undefined || exchange.status >= 500;
    const log = activityLogger() ?? logger;
    log[failed ? 'warn' : 'info'](`Moov ${exchange.operation} ${exchange.status ?? exchange.errorKind ?? 'failed'}`, {
      moovOperation: exchange.operation,
      method: exchange.method,
      route: exchange.route,
      status: exchange.status,
      durationMs: Math.round(exchange.durationMs),
      requestId: exchange.requestId,
      retryAfterMs: exchange.retryAfterMs,
      errorKind: exchange.errorKind,
    });
  };
}

function accountIDOf(args: readonly unknown[]): string | undefined {
  const first = args[0] as { accountID?: unknown } | undefined;
  return typeof first?.accountID === 'string' ? first.accountID : undefined;
}

/**
 * Worker-wide activity interceptor: adds the remediation's accountID to every activity log line,
 * counts retries (attempt > 1) and failures that carry Moov's wait hint as nextRetryDelay.
 */
export function observabilityActivityInterceptor(meter: MetricMeter): ActivityInterceptorsFactory {
  const metrics = remediationMetrics(meter);
  return (ctx) => {
    let accountID: string | undefined;
    const activityType = ctx.info.activityType;
    return {
      inbound: {
        async execute(input, next) {
          accountID = accountIDOf(input.args);
          if (ctx.info.attempt > 1) metrics.activityRetries.add(1, { activity_type: activityType });
          try {
            return await next(input);
          } catch (err) {
            if (err instanceof ApplicationFailure && err.nextRetryDelay !== undefined && err.nextRetryDelay !== null && !err.nonRetryable) {
              const delayMs = msToNumber(err.nextRetryDelay);
              metrics.waitHintsHonoured.add(1, { activity_type: activityType, failure_type: err.type ?? 'ApplicationFailure' });
              ctx.log.info(`retrying after Moov's wait hint of ${delayMs} ms`, { failureType: err.type, nextRetryDelayMs: delayMs });
            }
            throw err;
          }
        },
      },
      outbound: {
        getLogAttributes: (attributes, next) => next(accountID === undefined ? attributes : { ...attributes, accountID }),
      },
    };
  };
}

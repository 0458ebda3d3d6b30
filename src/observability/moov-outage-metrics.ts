import type { Client } from '@temporalio/client';
import type { Logger, MetricMeter } from '@temporalio/common';
import { METRICS } from '../domain/metric-names';
import type { RemediationPhase } from '../domain/remediation-status';
import { REMEDIATION_PHASE } from '../domain/search-attributes';
import type { AvailabilityChange } from '../moov';
import { isUnimplemented } from '../domain/grpc-status';

/** The remediations parked for a Moov outage: their phase is `waiting-for-moov` (docs/operations.md). */
export const WAITING_FOR_MOOV_QUERY = `WorkflowType = "merchantRemediation" AND ExecutionStatus = "Running" AND ${REMEDIATION_PHASE.name} = "${'waiting-for-moov' satisfies RemediationPhase}"`;

/** How often the worker counts them: a count is one visibility query, and an outage lasts minutes at least. */
export const WAITING_FOR_MOOV_INTERVAL_MS = 60_000;

/**
 * The circuit breaker's hook (src/moov/availability.ts): a 0/1 gauge per worker and one log line
 * when it opens and when it closes.
 */
export function moovAvailabilityObserver(meter: MetricMeter, logger: Logger): (change: AvailabilityChange) => void {
  const open = meter.createGauge(METRICS.moovCircuitOpen, 'int', undefined, "1 while this worker's circuit breaker holds Moov requests back");
  open.set(0);
  return (change) => {
    open.set(change.open ? 1 : 0);
    if (change.open) logger.warn(`Moov unavailable since ${change.at.toISOString()}: holding requests back, one probe at a time`, { moovFailingSince: change.at.toISOString() });
    else logger.info('Moov answers again: requests go out as usual', { moovBackAt: change.at.toISOString() });
  };
}

export interface WaitingForMoovGauge {
  /** Counts once now (the timer does it every interval); resolves with the count, undefined when the server cannot count. */
  refresh(): Promise<number | undefined>;
  stop(): void;
}

/**
 * `remediations_waiting_for_moov`: the namespace's running remediations parked for a Moov outage,
 * counted in Temporal's visibility every interval. Every worker reports the same fleet-wide number
 * (alert on max, docs/observability.md).
 */
export function watchRemediationsWaitingForMoov(client: Client, meter: MetricMeter, logger: Logger, intervalMs = WAITING_FOR_MOOV_INTERVAL_MS): WaitingForMoovGauge {
  const gauge = meter.createGauge(METRICS.remediationsWaitingForMoov, 'int', undefined, 'Running remediations parked until Moov answers again (phase waiting-for-moov)');
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<number | undefined> => {
    try {
      const { count } = await client.workflow.count(WAITING_FOR_MOOV_QUERY);
      gauge.set(count);
      return count;
    } catch (err) {
      if (isUnimplemented(err)) {
        logger.warn('the Temporal server cannot count workflows: remediations_waiting_for_moov is not reported');
        stop();
        return undefined;
      }
      logger.warn(`counting the remediations waiting for Moov failed: ${(err as Error).message}`);
      return undefined;
    }
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  void refresh();
  return { refresh, stop };
}

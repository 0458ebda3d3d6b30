import type { MetricMeter } from '@temporalio/common';
import { METRICS } from '../domain/metric-names';
import { ANSWERS, type Answer } from './answers';

/** Counts one answer: a refusal by its reason, anything else by its outcome (src/webhooks/answers.ts). */
export type CountAnswer = (answer: Answer) => void;

/** The receiver's counters on the process's Temporal Runtime meter (Prometheus with METRICS_BIND_ADDRESS). */
export function webhookMetrics(meter: MetricMeter): CountAnswer {
  const refusals = meter.createCounter(METRICS.webhookRefusals, undefined, 'Moov webhook deliveries refused (4xx), by reason');
  const deliveries = meter.createCounter(METRICS.webhookDeliveries, undefined, 'Moov webhook deliveries answered otherwise (2xx, 5xx), by outcome');
  return (answer) => {
    if (ANSWERS[answer].refusal) refusals.add(1, { reason: answer });
    else deliveries.add(1, { outcome: answer });
  };
}

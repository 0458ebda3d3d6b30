import { log, metricMeter } from '@temporalio/workflow';
import type { RemediationPhase, TerminalPhase } from '../domain/remediation-status';
import { METRICS } from '../domain/metric-names';

/**
 * Workflow-side observability. Both are replay-safe by the SDK's design: the workflow `log` and
 * `metricMeter` drop what a replayed activation emits, so each outcome is counted once per run.
 */
export function recordOutcome(outcome: TerminalPhase, accountID?: string): void {
  metricMeter.createCounter(METRICS.remediationOutcomes, undefined, 'Finished remediations by outcome').add(1, { outcome });
  log.info(`remediation ${outcome}`, { ...(accountID !== undefined && { accountID }), outcome });
}

export function logPhase(phase: RemediationPhase, accountID: string): void {
  log.info(`remediation phase ${phase}`, { accountID, phase });
}

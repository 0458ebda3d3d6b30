/**
 * The project's own metric names, exported next to Temporal's (`temporal_*`) on the worker's (and
 * the webhook receiver's) Prometheus endpoint. In src/domain because the workflow emits the outcome and sweep-skip
 * counters; src/observability (worker side) imports them from here.
 */
export const METRICS = {
  /** counter {operation, method, route, status}: every Moov HTTP exchange; status is the HTTP code, or `network`/`timeout` without a response. */
  moovRequests: 'moov_requests_total',
  /** counter {operation, route}: Moov answers with 429 Too Many Requests. */
  moovRateLimited: 'moov_rate_limited_total',
  /** histogram {operation, method, route, status}: Moov request latency in milliseconds. */
  moovRequestLatency: 'moov_request_latency_ms',
  /** counter {activity_type}: activity attempts after the first (Temporal retrying a step). */
  activityRetries: 'remediation_activity_retries_total',
  /** counter {activity_type, failure_type}: failures handed to Temporal with Moov's wait hint as nextRetryDelay. */
  waitHintsHonoured: 'remediation_wait_hints_honoured_total',
  /** counter {outcome} (+ namespace, task_queue, workflow_type): finished remediations by outcome. */
  remediationOutcomes: 'remediation_outcomes_total',
  /** counter {reason} (+ namespace, task_queue, workflow_type): accounts a sweep skipped, e.g. `refused` (Moov answered 403/404). */
  sweepSkips: 'remediation_sweep_skips_total',
  /** gauge: running remediations parked for a Moov outage (phase waiting-for-moov), counted in visibility every minute. */
  remediationsWaitingForMoov: 'remediations_waiting_for_moov',
  /** gauge: 1 while this worker's circuit breaker holds Moov requests back (src/moov/availability.ts). */
  moovCircuitOpen: 'moov_circuit_open',
  /** counter {reason}: Moov webhook deliveries the receiver refused (4xx), e.g. `bad-signature` (src/webhooks/answers.ts). */
  webhookRefusals: 'moov_webhook_refusals_total',
  /** counter {outcome}: every other answer of the webhook receiver, e.g. `signaled`, `no-remediation`, `temporal-unavailable` (503). */
  webhookDeliveries: 'moov_webhook_deliveries_total',
} as const;

/** Outcomes counted by `remediation_outcomes_total`. */
export const REMEDIATION_OUTCOMES = ['completed', 'resolved', 'unresolved', 'failed', 'cancelled'] as const;

/** Buckets (ms) for Moov latency: Moov answers in tens to hundreds of ms; timeouts are at 30 s. */
export const MOOV_LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

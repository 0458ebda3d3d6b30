import type { MoovAvailability } from './availability';
import type { MoovErrorKind } from './errors';
import type { RequestPacer } from './request-pacer';
import type { HttpMethod } from './transport';

/**
 * One HTTP exchange with Moov as the client saw it: enough for metrics and a log line, nothing
 * more. It never carries headers, bodies, credentials or the account's data, so an observer cannot
 * leak them by accident.
 */
export interface MoovExchange {
  /** The client method, e.g. `createResolutionLink`. */
  operation: string;
  method: HttpMethod;
  /** Route template with placeholders, e.g. `/accounts/{accountID}/files` (bounded cardinality). */
  route: string;
  /** HTTP status; absent when no response arrived (network error, timeout). */
  status?: number;
  /** From sending the request to having the validated body (or the error). */
  durationMs: number;
  /** Moov's `x-request-id`, when a response carried one. */
  requestId?: string;
  /** The server's wait hint on a retryable answer (429, 503…), in milliseconds. */
  retryAfterMs?: number;
  /** Set when the call threw: `http` for a non-2xx status, else what went wrong. */
  errorKind?: MoovErrorKind;
}

/** Called once per exchange, after it ended. Must not throw; if it does, the call is unaffected. */
export type MoovExchangeObserver = (exchange: MoovExchange) => void;

export interface MoovClientOptions {
  /** Metrics and logging hook (the worker wires it to Prometheus and pino). */
  onExchange?: MoovExchangeObserver;
  /** Spaces requests under Moov's per-account (and partner) limit; absent: requests leave at once. */
  pacer?: RequestPacer;
  /** Holds requests back while Moov fails every call (circuit breaker); absent: every request is sent. */
  availability?: MoovAvailability;
}

import type { MoovErrorKind } from './errors';
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
}

/** Every client operation's method and route template, so observers see no IDs in routes. */
export const MOOV_ROUTES: Readonly<Record<string, { method: HttpMethod; route: string }>> = {
  uploadFile: { method: 'POST', route: '/accounts/{accountID}/files' },
  listFiles: { method: 'GET', route: '/accounts/{accountID}/files' },
  getFile: { method: 'GET', route: '/accounts/{accountID}/files/{fileID}' },
  createResolutionLink: { method: 'POST', route: '/accounts/{accountID}/resolution-links' },
  listResolutionLinks: { method: 'GET', route: '/accounts/{accountID}/resolution-links' },
  getResolutionLink: { method: 'GET', route: '/accounts/{accountID}/resolution-links/{code}' },
  disableResolutionLink: { method: 'DELETE', route: '/accounts/{accountID}/resolution-links/{code}' },
  shareConnection: { method: 'POST', route: '/accounts/{accountID}/connections' },
  getPaymentLink: { method: 'GET', route: '/accounts/{accountID}/payment-links/{code}' },
  updatePaymentLink: { method: 'PATCH', route: '/accounts/{accountID}/payment-links/{code}' },
  listAccounts: { method: 'GET', route: '/accounts' },
  getAccount: { method: 'GET', route: '/accounts/{accountID}' },
  listCapabilities: { method: 'GET', route: '/accounts/{accountID}/capabilities' },
};

export function routeOf(operation: string): string {
  return MOOV_ROUTES[operation]?.route ?? operation;
}

import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { BusinessClock } from './clock';
import type { FaultStore } from './faults';
import type { HeldRequests } from './held-requests';
import type { Reply } from './http-io';
import type { ResolvedOptions } from './options';
import type { TokenBucketLimiter } from './rate-limiter';
import type { RequestLog } from './request-log';
import type { SandboxState } from './state';
import type { Webhooks } from './webhooks/webhooks';

/** Everything a running sandbox owns; handed to every handler. */
export interface SandboxCore {
  options: ResolvedOptions;
  state: SandboxState;
  clock: BusinessClock;
  limiter: TokenBucketLimiter;
  faults: FaultStore;
  log: RequestLog;
  /** Slow answers and apply-late writes not acted on yet. */
  held: HeldRequests;
  /** The webhook the state's changes are delivered to, and the delivery log. */
  webhooks: Webhooks;
  logger: Logger;
  /** Known Moov route templates, so fault rules naming a route that does not exist are refused. */
  moovRoutes: readonly string[];
  /** `http://host:port`, known once the server listens. */
  baseUrl: string;
  /** Aborted on close so injected delays do not outlive the server. */
  closing: AbortSignal;
  /** Re-applies start-up seeding after `POST /_sandbox/reset`. */
  afterReset: () => void;
}

export interface HandlerContext {
  core: SandboxCore;
  req: IncomingMessage;
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  requestId: string;
}

export type Handler = (ctx: HandlerContext) => Promise<Reply> | Reply;

/**
 * - `moov`: the emulated API: authenticated, rate limited, fault-injectable, logged.
 * - `admin`: `/_sandbox/*` control plane: no auth, never limited or logged.
 * - `public`: unauthenticated pages such as the resolution link landing page.
 */
export type RouteKind = 'moov' | 'admin' | 'public';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  kind: RouteKind;
  /** Which wait hint a 429 carries: Moov's files API uses X-Retry-In (ms), the rest Retry-After (s). */
  retryHint?: 'x-retry-in' | 'retry-after';
  handler: Handler;
}

export function routeTemplate(def: Pick<RouteDef, 'method' | 'path'>): string {
  return `${def.method} ${def.path}`;
}

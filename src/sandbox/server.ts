import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BusinessClock } from './clock';
import type { RouteDef, SandboxCore } from './context';
import { routeTemplate } from './context';
import { seedDemo } from './demo';
import { dispatch } from './dispatch';
import { FaultStore } from './faults';
import { HeldRequests } from './held-requests';
import { newRequestId } from './ids';
import type { SandboxOptions } from './options';
import { resolveOptions } from './options';
import { TokenBucketLimiter } from './rate-limiter';
import { RequestLog } from './request-log';
import { buildRouter } from './router';
import { accountRoutes } from './routes/accounts';
import { adminControlRoutes } from './routes/admin-control';
import { adminDataRoutes } from './routes/admin';
import { connectionRoutes } from './routes/connections';
import { fileRoutes } from './routes/files';
import { paymentLinkRoutes } from './routes/payment-links';
import { resolutionLinkRoutes } from './routes/resolution-links';
import { adminRepresentativeRoutes } from './routes/admin-representatives';
import { adminWebhookRoutes } from './routes/admin-webhooks';
import { SandboxState } from './state';
import { Webhooks } from './webhooks/webhooks';

export interface SandboxHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const ROUTES: readonly RouteDef[] = [
  ...fileRoutes,
  ...resolutionLinkRoutes,
  ...connectionRoutes,
  ...paymentLinkRoutes,
  ...accountRoutes,
  ...adminDataRoutes,
  ...adminRepresentativeRoutes,
  ...adminControlRoutes,
  ...adminWebhookRoutes,
];

export async function startSandbox(opts?: SandboxOptions): Promise<SandboxHandle> {
  const options = resolveOptions(opts);
  const clock = new BusinessClock();
  const closing = new AbortController();
  // Every delayed or held request listens for the close; hundreds at once are normal in a chaos run.
  setMaxListeners(0, closing.signal);
  const webhooks = new Webhooks({ clock, partnerAccountID: options.partnerAccountID, initial: options.webhook, logger: options.logger });
  const core: SandboxCore = {
    options,
    clock,
    state: new SandboxState(options.partnerAccountID, clock, (change) => webhooks.changed(change)),
    limiter: new TokenBucketLimiter({ ratePerSecond: options.rateLimitRps, burst: options.rateLimitBurst }),
    faults: new FaultStore(),
    log: new RequestLog(options.requestLogSize),
    held: new HeldRequests(closing.signal),
    webhooks,
    logger: options.logger,
    moovRoutes: ROUTES.filter((r) => r.kind === 'moov').map(routeTemplate),
    baseUrl: '',
    closing: closing.signal,
    afterReset: () => {
      // Seeding is where the state starts, not a change Moov would announce.
      if (options.seedDemo) core.state.quietly(() => seedDemo(core));
    },
  };
  const router = buildRouter(ROUTES);
  const server = createServer((req, res) => {
    dispatch(core, router, req, res).catch((err: unknown) => {
      core.logger.error({ err }, 'sandbox dispatch failed');
      res.destroy();
    });
  });
  // Malformed HTTP never reaches dispatch; answer it here so it too carries x-request-id.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nx-request-id: ${newRequestId()}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  core.baseUrl = `http://${urlHost}:${port}`;
  core.afterReset();

  let closed: Promise<void> | undefined;
  return {
    url: core.baseUrl,
    port,
    close() {
      closed ??= Promise.all([
        new Promise<void>((resolve) => {
          closing.abort();
          server.close(() => resolve());
          // Keep-alive sockets would otherwise hold close() open until they time out.
          server.closeAllConnections();
        }),
        webhooks.close(),
      ]).then(() => undefined);
      return closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

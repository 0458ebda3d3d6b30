import type { Client } from '@temporalio/client';
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pino from 'pino';
import { ANSWERS, type Answer } from './answers';
import { deliverAccountEvent } from './deliver';
import { accountEventDataSchema, moovEventSchema, routeOf, type MoovEvent } from './events';
import { webhookMetrics } from './metrics';
import { NonceCache } from './nonce-cache';
import { SweepTemplateSource } from './sweep-template';
import { verifyDelivery } from './verify';

export const WEBHOOK_PATH = '/webhooks/moov';

/** Moov's events are a few hundred bytes; anything far larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/** How long close() waits at most for the client's retries behind a 503 to end. */
const LINGER_BOUND_MS = 10_000;

export interface WebhookReceiverOptions {
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** MOOV_WEBHOOK_SECRETS: a delivery signed with any of them is accepted. */
  secrets: readonly string[];
  timestampToleranceMs: number;
  /** WEBHOOK_AUTOSTART: start a triage when no remediation runs for the account. */
  autostart: boolean;
  /** Connected as the CLI connects (codec included); the caller owns it. */
  client: Client;
  taskQueue: string;
  logger: pino.Logger;
  /** Default: none (no metrics). `npm run webhooks` passes the Runtime's meter. */
  meter?: MetricMeter;
  /** The sweep Schedule whose input is the triage's template (src/sweep-client.ts DEFAULT_SCHEDULE_ID). */
  scheduleId: string;
  temporalDeadlineMs?: number;
  now?: () => number;
}

export interface WebhookReceiver {
  /** `http://host:port` (the path is WEBHOOK_PATH). */
  url: string;
  port: number;
  /**
   * Stops accepting, lets deliveries in hand finish (each is bounded by the Temporal deadline),
   * waits for the client's retries behind any 503 to end, then closes. The client may be closed after.
   */
  close(): Promise<void>;
}

/** What the answer's log line and response say besides the answer itself. */
interface Context {
  webhookID?: string;
  timestamp?: string;
  event?: MoovEvent;
  accountID?: string;
  error?: unknown;
}

/**
 * The Moov webhook receiver: `POST /webhooks/moov`, verified by Moov's signature scheme
 * (./verify), then routed by the event's type (./events) to a signal or a triage start (./deliver).
 * Stateless but for the nonces of the timestamp window. Every answer is a row of ./answers: a
 * counter and a log line each, never with the secret, the signature or the body.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const now = options.now ?? Date.now;
  const nonces = new NonceCache(now);
  const templates = new SweepTemplateSource({ client: options.client, scheduleId: options.scheduleId });
  const count = webhookMetrics(options.meter ?? noopMetricMeter);
  const log = options.logger;
  const inFlight = new Set<Promise<void>>();
  const lingering = new Set<Promise<unknown>>();

  function answer(req: IncomingMessage, res: ServerResponse, key: Answer, context: Context = {}): void {
    const { status, refusal, meaning } = ANSWERS[key];
    count(key);
    const fields = {
      webhook: { answer: key, status },
      ...(context.webhookID !== undefined && { webhookID: context.webhookID }),
      ...(context.event && { eventID: context.event.eventID, eventType: context.event.type }),
      ...(context.accountID !== undefined && { accountID: context.accountID }),
      // Signed and not secret: shows which format Moov sent when it is one the receiver cannot read.
      ...(key === 'bad-timestamp' && { timestamp: context.timestamp }),
      ...(context.error !== undefined && { err: context.error }),
      remoteAddress: req.socket.remoteAddress,
    };
    const level = key === 'bad-timestamp' || key === 'internal-error' ? 'error' : refusal || status >= 500 ? 'warn' : 'info';
    log[level](fields, `Moov webhook ${refusal ? 'refused' : status < 300 ? 'acknowledged' : 'not acknowledged'} (${status} ${key}): ${meaning}`);
    if (key === 'method-not-allowed') res.setHeader('Allow', 'POST');
    if (key === 'body-too-large') res.setHeader('Connection', 'close');
    const body = JSON.stringify(refusal || status >= 500 ? { error: key } : { outcome: key });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').split('?')[0] !== WEBHOOK_PATH) return answer(req, res, 'not-found');
    if (req.method !== 'POST') return answer(req, res, 'method-not-allowed');
    const verified = verifyDelivery(req.headers, { secrets: options.secrets, toleranceMs: options.timestampToleranceMs, nonces, now });
    if (!verified.ok) return answer(req, res, verified.reason, verified);

    let acknowledged = false;
    const reply = (key: Answer, context: Context = {}) => {
      acknowledged = ANSWERS[key].status < 300;
      answer(req, res, key, { webhookID: verified.webhookID, ...context });
    };
    try {
      const body = await readBody(req);
      if (body === undefined) return reply('body-too-large');
      const event = parseEvent(body);
      if (!event) return reply('bad-body');
      const route = routeOf(event.type);
      if (route === 'test') return reply('test-event', { event });
      if (route === undefined) return reply('ignored-type', { event });
      const data = accountEventDataSchema.safeParse(event.data);
      if (!data.success) return reply('bad-body', { event });
      const accountID = data.data.accountID;
      log.debug({ webhookID: verified.webhookID, eventID: event.eventID, eventType: event.type, accountID }, 'Moov webhook verified: asking Temporal');
      let outcome: Answer;
      try {
        outcome = await deliverAccountEvent(event, accountID, {
          client: options.client,
          taskQueue: options.taskQueue,
          autostart: options.autostart,
          templates,
          lingering,
          ...(options.temporalDeadlineMs !== undefined && { deadlineMs: options.temporalDeadlineMs }),
          onInvalidTemplate: (message) => log.error({ accountID, eventID: event.eventID }, `no triage started: ${message}`),
        });
      } catch (error) {
        return reply('temporal-unavailable', { event, accountID, error });
      }
      return reply(outcome, { event, accountID });
    } finally {
      // Spent only when acknowledged: Moov's retry of an unacknowledged delivery must get through.
      if (acknowledged) nonces.spend(verified.nonceKey);
      else nonces.release(verified.nonceKey);
    }
  }

  const server = createServer((req, res) => {
    const handled = handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(req, res, 'internal-error', { error });
      else res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  // A slow client cannot hold a connection open for long; Moov sends a small body at once.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await closed;
        // Each ends soon after its deadline (a retry past it fails at once); the bound is a guard.
        await Promise.race([Promise.allSettled([...lingering]), new Promise((resolve) => setTimeout(resolve, LINGER_BOUND_MS).unref())]);
      })();
      return closing;
    },
  };
}

/**
 * The body, or undefined when it is larger than any Moov event. Reading then stops without
 * destroying the request, so the 413 still reaches the client (the connection closes after it).
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).pause();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

function parseEvent(body: Buffer): MoovEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = moovEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

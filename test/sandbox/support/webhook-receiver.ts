import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers one delivery: a status, or no answer at all (the sender's timeout ends it). */
export type Answer = number | 'hang';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: string;
  // Tests inspect the JSON; the conformance suite checks it with the SDK's models.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** X-Signature checked here with this receiver's own HMAC-SHA512 of timestamp|nonce|webhookID. */
  signatureValid: boolean;
  answeredWith: Answer;
}

/**
 * A plain node:http webhook endpoint on loopback, standing where a partner's receiver would: it
 * records each delivery, checks its signature the way docs.moov.io/guides/webhooks/check-webhook-signatures/
 * describes, and answers as the test says. Waiting is on arrivals, never on a clock.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private answer: (delivery: Received, index: number) => Answer = () => 200;
  private waiters: { count: number; wake: () => void }[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly secret: string,
  ) {}

  static async start(secret: string): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, secret);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => receiver.onDelivery(req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/moov-webhooks`;
  }

  /** How to answer from now on; `index` counts every delivery this receiver got, from 0. */
  answerWith(answer: (delivery: Received, index: number) => Answer): void {
    this.answer = answer;
  }

  /** Resolves with the deliveries once `count` have arrived; fails after `timeoutMs` saying how many did. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
    if (this.received.length < count) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((wake) => this.waiters.push({ count, wake })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`waited for ${count} webhook deliveries, got ${this.received.length}`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    }
    return this.received.slice(0, count);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onDelivery(headers: IncomingHttpHeaders, raw: string, res: ServerResponse): void {
    const delivery: Received = { headers, raw, body: parse(raw), signatureValid: this.verify(headers), answeredWith: 200 };
    delivery.answeredWith = this.answer(delivery, this.received.length);
    this.received.push(delivery);
    if (delivery.answeredWith === 'hang') this.hanging.add(res);
    else res.writeHead(delivery.answeredWith).end();
    this.waiters = this.waiters.filter((w) => {
      if (this.received.length < w.count) return true;
      w.wake();
      return false;
    });
  }

  private verify(headers: IncomingHttpHeaders): boolean {
    const [timestamp, nonce, webhookID, signature] = ['x-timestamp', 'x-nonce', 'x-webhook-id', 'x-signature'].map((h) => headers[h]);
    if (typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof webhookID !== 'string' || typeof signature !== 'string') return false;
    const expected = createHmac('sha512', this.secret).update(`${timestamp}|${nonce}|${webhookID}`).digest();
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { Logger } from 'pino';
import type { BusinessClock } from '../clock';
import type { StateChange } from '../state';
import { ClockTimers } from './clock-timers';
import type { WebhookConfig } from './config';
import type { Delivery, DeliveryFilter } from './delivery-log';
import { DeliveryLog } from './delivery-log';
import { eventFor, testEvent } from './events';
import { postOnce } from './post';
import { retryDelayAfter } from './retry-schedule';
import { signedHeaders } from './signing';

export interface WebhooksInit {
  clock: BusinessClock;
  /** X-Account-ID: the partner (developer) account the webhook belongs to. */
  partnerAccountID: string;
  /** The start-up webhook, restored by a reset; undefined: none. */
  initial: WebhookConfig | undefined;
  logger: Logger;
}

/**
 * Moov's side of webhooks: every reported state change becomes an event, POSTed signed to the
 * configured webhook and retried on the schedule until a 2xx, each step recorded in the delivery
 * log. Deliveries are independent (no order per account, as with Moov); none is dropped without a
 * `failed` or `cancelled` entry saying so.
 */
export class Webhooks {
  private config: WebhookConfig | undefined;
  private readonly log = new DeliveryLog();
  private readonly timers: ClockTimers;
  private readonly agent = new Agent();
  /** Aborted when deliveries must stop: the webhook removed or replaced, a reset, the close. */
  private generation = new AbortController();
  private readonly cancelTimers = new Map<Delivery, () => void>();

  constructor(private readonly init: WebhooksInit) {
    this.config = init.initial;
    this.timers = new ClockTimers(init.clock);
    setMaxListeners(0, this.generation.signal);
  }

  current(): WebhookConfig | undefined {
    return this.config;
  }

  /** Sets the webhook. A different webhookID is another webhook: the old one's open deliveries are cancelled. */
  configure(config: WebhookConfig): void {
    if (this.config && this.config.webhookID !== config.webhookID) this.cancelOpen(`webhook ${this.config.webhookID} replaced`);
    this.config = config;
  }

  /** Removes the webhook; its open deliveries are cancelled, and state changes send nothing until one is set. */
  remove(): void {
    if (this.config) this.cancelOpen(`webhook ${this.config.webhookID} removed`);
    this.config = undefined;
  }

  /** The state's change sink. Without a webhook Moov has nowhere to send, so nothing is recorded. */
  changed(change: StateChange): void {
    if (this.config) this.send(this.config.webhookID, eventFor(change, this.init.clock.iso()));
  }

  /** `event.test`, as the Dashboard's "Send test webhook"; undefined when no webhook is set. */
  sendTest(): Delivery | undefined {
    return this.config && structuredClone(this.send(this.config.webhookID, testEvent(this.init.clock.iso())));
  }

  deliveries(filter?: DeliveryFilter): Delivery[] {
    return this.log.list(filter);
  }

  /** `POST /_sandbox/reset`: the start-up webhook again, an empty log, nothing in flight. */
  reset(): void {
    this.stopAll();
    this.log.reset();
    this.config = this.init.initial;
  }

  async close(): Promise<void> {
    this.stopAll();
    this.timers.dispose();
    await this.agent.close();
  }

  private send(webhookID: string, event: Delivery['event']): Delivery {
    const delivery = this.log.add(webhookID, event);
    // The first attempt waits for a timer turn: the change's handler finishes its writes before a receiver can re-read Moov.
    this.schedule(delivery, 0);
    return delivery;
  }

  private schedule(delivery: Delivery, waitMs: number): void {
    delivery.state = 'pending';
    delivery.nextAttemptAt = new Date(this.init.clock.nowMs() + waitMs).toISOString();
    this.cancelTimers.set(
      delivery,
      this.timers.after(waitMs, () => void this.attempt(delivery)),
    );
  }

  /** One attempt with the webhook as it is now (an update of its URL or secret applies to retries). */
  private async attempt(delivery: Delivery): Promise<void> {
    this.cancelTimers.delete(delivery);
    const config = this.config;
    if (!config || config.webhookID !== delivery.webhookID) {
      // Removing or replacing the webhook cancels its deliveries first, so this is only a guard.
      Object.assign(delivery, { state: 'cancelled', cancelledBecause: `webhook ${delivery.webhookID} is gone` });
      return;
    }
    const signal = this.generation.signal;
    const attempt = delivery.attempts.length + 1;
    const timestamp = this.init.clock.iso();
    const headers = signedHeaders(config.secret, config.webhookID, this.init.partnerAccountID, timestamp);
    delivery.state = 'delivering';
    delete delivery.nextAttemptAt;
    const started = performance.now();
    const outcome = await postOnce(this.agent, config.url, JSON.stringify(delivery.event), { ...headers }, config.timeoutMs, signal);
    delivery.attempts.push({
      attempt,
      timestamp,
      nonce: headers['x-nonce'],
      ...outcome,
      durationMs: Math.round(performance.now() - started),
    });
    delivery.lastStatus = outcome.status;
    if (signal.aborted) return; // cancelOpen already settled it, or a reset dropped the log.
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
      delivery.state = 'delivered';
      return;
    }
    const wait = retryDelayAfter(config.retryDelaysMs, attempt);
    if (wait === undefined) {
      delivery.state = 'failed';
      this.init.logger.warn({ eventID: delivery.event.eventID, type: delivery.event.type, attempts: attempt }, 'webhook delivery failed for good');
      return;
    }
    this.schedule(delivery, wait);
  }

  private cancelOpen(because: string): void {
    for (const delivery of this.log.open()) {
      delivery.state = 'cancelled';
      delivery.cancelledBecause = because;
      delete delivery.nextAttemptAt;
    }
    this.stopAll();
  }

  /** Stops every timer and aborts every attempt in flight; the next deliveries start a new generation. */
  private stopAll(): void {
    for (const cancel of this.cancelTimers.values()) cancel();
    this.cancelTimers.clear();
    this.generation.abort();
    this.generation = new AbortController();
    setMaxListeners(0, this.generation.signal);
  }
}

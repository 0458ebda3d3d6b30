import type { WebhookEvent } from './events';

/**
 * - `pending`: waiting for its next attempt (`nextAttemptAt`);
 * - `delivering`: an attempt is in flight;
 * - `delivered`: an attempt got a 2xx;
 * - `failed`: the retry schedule ran out without a 2xx;
 * - `cancelled`: the webhook was removed or replaced before a 2xx (the sandbox never drops an
 *   event without saying so here).
 */
export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'failed' | 'cancelled';

export interface DeliveryAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  /** X-Timestamp of this attempt (business clock). */
  timestamp: string;
  /** X-Nonce of this attempt: new on every attempt. */
  nonce: string;
  /** The receiver's status; null when there was no answer (refused, reset, timed out). */
  status: number | null;
  /** Why there was no 2xx without a status: `timeout`, `cancelled`, or the network error's code. */
  error?: string;
  durationMs: number;
}

/** One event sent to one webhook, with every attempt at it. Holds no secret and no signature. */
export interface Delivery {
  seq: number;
  webhookID: string;
  /** The body exactly as sent on every attempt (the same eventID each time). */
  event: WebhookEvent;
  /** `data.accountID`, for filtering; null for event.test. */
  accountID: string | null;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** The last attempt's status (null before the first answer, or when the last attempt got none). */
  lastStatus: number | null;
  /** When `pending`: the business-clock time of the next attempt. */
  nextAttemptAt?: string;
  /** When `cancelled`: why. */
  cancelledBecause?: string;
}

export interface DeliveryFilter {
  eventID?: string;
  type?: string;
  accountID?: string;
  state?: string;
}

/**
 * Every delivery since the last reset, for audits (`GET /_sandbox/webhook/deliveries`). Bounded
 * like the request log, but only settled deliveries (delivered, failed, cancelled) ever leave it.
 */
export class DeliveryLog {
  private entries: Delivery[] = [];
  private nextSeq = 1;

  constructor(private readonly maxEntries = 10_000) {}

  add(webhookID: string, event: WebhookEvent): Delivery {
    const accountID = typeof event.data.accountID === 'string' ? event.data.accountID : null;
    const delivery: Delivery = { seq: this.nextSeq++, webhookID, event, accountID, state: 'pending', attempts: [], lastStatus: null };
    this.entries.push(delivery);
    this.trim();
    return delivery;
  }

  list(filter: DeliveryFilter = {}): Delivery[] {
    return this.entries
      .filter(
        (d) =>
          (filter.eventID === undefined || d.event.eventID === filter.eventID) &&
          (filter.type === undefined || d.event.type === filter.type) &&
          (filter.accountID === undefined || d.accountID === filter.accountID) &&
          (filter.state === undefined || d.state === filter.state),
      )
      .map((d) => structuredClone(d));
  }

  /** Deliveries still to be settled. */
  open(): Delivery[] {
    return this.entries.filter((d) => d.state === 'pending' || d.state === 'delivering');
  }

  reset(): void {
    this.entries = [];
    this.nextSeq = 1;
  }

  private trim(): void {
    let excess = this.entries.length - this.maxEntries;
    if (excess <= 0) return;
    this.entries = this.entries.filter((d) => {
      if (excess > 0 && (d.state === 'delivered' || d.state === 'failed' || d.state === 'cancelled')) {
        excess -= 1;
        return false;
      }
      return true;
    });
  }
}

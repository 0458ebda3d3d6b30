import { newUUID } from '../ids';
import type { AccountRecord, StateChange } from '../state';

/** The body Moov POSTs: `{eventID, type, data, createdOn}` (the SDK's `WebhookEvent`). */
export interface WebhookEvent {
  eventID: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  createdOn: string;
}

export type WebhookEventType = StateChange['type'] | 'event.test';

type DataOf<T extends StateChange['type']> = (change: StateChange & { type: T }) => Record<string, unknown>;

/** `foreignID` only when the account has one (the SDK models it as optional). */
function accountRef(account: AccountRecord): Record<string, unknown> {
  return { accountID: account.accountID, ...(account.foreignID !== undefined ? { foreignID: account.foreignID } : {}) };
}

function representativeRef({ account, representative }: Extract<StateChange, { representative: unknown }>): Record<string, unknown> {
  return { accountID: account.accountID, representativeID: representative.representativeID };
}

/**
 * Each event's `data`, per type, as `@moovio/sdk` models it (WebhookDataAccountCreated,
 * WebhookDataCapabilityUpdated, WebhookDataRepresentativeDisabled for `representative.deleted`,
 * …): identifiers and a status only, because the receiver re-reads Moov for the rest.
 */
const EVENT_DATA: { [T in StateChange['type']]: DataOf<T> } = {
  'account.created': ({ account }) => accountRef(account),
  'account.updated': ({ account }) => accountRef(account),
  'capability.requested': ({ account, capability }) => ({ ...accountRef(account), capabilityID: capability.capability }),
  'capability.updated': ({ account, capability }) => ({ ...accountRef(account), capabilityID: capability.capability, status: capability.status }),
  'representative.created': representativeRef,
  'representative.updated': representativeRef,
  'representative.deleted': representativeRef,
};

/** The event for a state change, stamped now: its data is read at once, as the change happened. */
export function eventFor(change: StateChange, createdOn: string): WebhookEvent {
  const data = (EVENT_DATA[change.type] as DataOf<StateChange['type']>)(change);
  return { eventID: newUUID(), type: change.type, data, createdOn };
}

/** The Dashboard's "Send test webhook" payload (docs.moov.io/guides/webhooks/set-up-webhooks/). */
export function testEvent(createdOn: string): WebhookEvent {
  return { eventID: newUUID(), type: 'event.test', data: { ping: true }, createdOn };
}

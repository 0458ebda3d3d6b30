import { z } from 'zod';
import { accountIDSchema } from '../domain/remediation-input';

/**
 * What Moov POSTs (docs.moov.io/guides/webhooks/webhook-events; `@moovio/sdk` WebhookEvent):
 * `{eventID, type, data, createdOn}`. Moov does not sign the body, so it is only a hint: it says
 * which account to look at, and the workflow re-reads Moov. Unknown fields pass.
 */
export const moovEventSchema = z.object({
  eventID: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()),
  // Only for the audit trail: one that is not an RFC 3339 time is dropped rather than refused.
  createdOn: z.iso.datetime({ offset: true }).optional().catch(undefined),
});
export type MoovEvent = z.infer<typeof moovEventSchema>;

/** account.*, capability.* and representative.* events all carry the account's ID in `data`. */
export const accountEventDataSchema = z.object({ accountID: accountIDSchema });

/**
 * What each event type leads to, one row per type the receiver acts on: `account` signals the
 * account's remediation (or, with WEBHOOK_AUTOSTART, starts a triage); `test` is Moov's test
 * event. Every other type is acknowledged and counted (`ignored-type`): subscribe only to these.
 */
export const EVENT_ROUTES = {
  'account.updated': 'account',
  'capability.requested': 'account',
  'capability.updated': 'account',
  'representative.created': 'account',
  'representative.updated': 'account',
  'representative.deleted': 'account',
  'event.test': 'test',
} as const satisfies Record<string, 'account' | 'test'>;

export type EventRoute = (typeof EVENT_ROUTES)[keyof typeof EVENT_ROUTES];

export function routeOf(type: string): EventRoute | undefined {
  return Object.hasOwn(EVENT_ROUTES, type) ? EVENT_ROUTES[type as keyof typeof EVENT_ROUTES] : undefined;
}

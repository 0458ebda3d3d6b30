import { msToNumber } from '@temporalio/common/lib/time';
import { inspect } from 'node:util';
import { z } from 'zod';
import { durationSchema } from '../domain/remediation-input';
import { readSettings, setting, type Env, type SettingsOf } from '../domain/settings';
import { isSocketAddress } from '../observability/config';

export const DEFAULT_WEBHOOK_BIND_ADDRESS = '127.0.0.1:8920';

/**
 * The nonce of every delivery is kept for the window (src/webhooks/nonce-cache.ts), so the window
 * bounds the receiver's memory; Moov's own advice is a few minutes.
 */
const MAX_TOLERANCE_MS = 60 * 60 * 1000;

/** `host:port` → what `server.listen` takes (an IPv6 host without its brackets). */
function toListenAddress(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(at + 1)) };
}

/**
 * The webhook receiver's settings (`npm run webhooks`), one row per variable (src/domain/settings.ts);
 * the table of docs/configuration.md is generated from them. Besides these it reads the Temporal
 * connection and task queue and the codec keys as the CLI does, and LOG_LEVEL and METRICS_BIND_ADDRESS.
 */
export const WEBHOOK_SETTINGS = {
  bindAddress: setting({
    variable: 'WEBHOOK_BIND_ADDRESS',
    default: DEFAULT_WEBHOOK_BIND_ADDRESS,
    parse: z.string().refine(isSocketAddress, 'must be ip:port, e.g. 0.0.0.0:8920 or [::]:8920').transform(toListenAddress),
    usedBy: 'webhook receiver',
    meaning: "`ip:port` where `npm run webhooks` listens for Moov's deliveries (`POST /webhooks/moov`). Moov needs an HTTPS URL: put a TLS-terminating proxy in front",
  }),
  secrets: setting({
    variable: 'MOOV_WEBHOOK_SECRETS',
    parse: z
      .string({ error: "is required: the webhook's signing secret (Moov: GET /webhooks/{webhookID}/secret)" })
      .transform((list) => list.split(',').map((secret) => secret.trim()))
      .refine((secrets) => secrets.every((secret) => secret.length > 0), 'must be a comma-separated list of signing secrets, none of them empty'),
    defaultText: '*required* by the webhook receiver',
    usedBy: 'webhook receiver',
    meaning:
      "comma-separated signing secrets; a delivery signed with any of them is accepted, so during a rotation list the new and the old one. One per Moov webhook (and mode) that points here. Never logged",
  }),
  timestampToleranceMs: setting({
    variable: 'WEBHOOK_TIMESTAMP_TOLERANCE',
    default: '5 minutes',
    parse: durationSchema
      .transform((value) => msToNumber(value as never))
      .refine((ms) => ms <= MAX_TOLERANCE_MS, 'must be at most 1 hour (the receiver remembers every nonce that long)'),
    usedBy: 'webhook receiver',
    meaning: "how far a delivery's `X-Timestamp` may be from the receiver's clock, either way (a duration such as `5 minutes`); older or later deliveries are refused, and a nonce is remembered this long",
  }),
  autostart: setting({
    variable: 'WEBHOOK_AUTOSTART',
    default: 'false',
    parse: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false (or 1 / 0)' }).transform((flag) => flag === 'true' || flag === '1'),
    usedBy: 'webhook receiver',
    meaning:
      "`true`: an account event for an account with no running remediation starts a triage (`account-event-<accountID>`) that decides as a sweep does and starts the remediation if there is something to do, with the sweep Schedule's template. `false`: such events are only acknowledged and counted. See [Webhooks](#webhooks)",
  }),
};

export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

/** Parsed settings; `secrets` is non-enumerable and rendered as `[redacted]` in JSON and util.inspect. */
export function webhookConfigFromEnv(env: Env = process.env): WebhookSettings {
  const { secrets, ...visible } = readSettings(WEBHOOK_SETTINGS, env);
  const view = () => ({ ...visible, secrets: `[${secrets.length} redacted]` });
  const config = { ...visible } as WebhookSettings;
  Object.defineProperties(config, {
    secrets: { value: Object.freeze([...secrets]), enumerable: false },
    toJSON: { value: view, enumerable: false },
    [inspect.custom]: { value: view, enumerable: false },
  });
  return Object.freeze(config);
}

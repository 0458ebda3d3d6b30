import { z } from 'zod';
import { newUUID } from '../ids';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './retry-schedule';

/** One attempt's deadline: Moov's answer window for a webhook; an attempt without a 2xx by then is retried. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * The sandbox's webhook, as `SandboxOptions.webhook` and `PUT /_sandbox/webhook` take it. Moov
 * accepts HTTPS endpoints only; the sandbox also takes http, for receivers on loopback.
 */
export const webhookConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    secret: z.string().min(1, 'must not be empty'),
    /** Sent as X-Webhook-ID; default: a new UUID (kept when the webhook is updated). */
    webhookID: z.string().min(1).optional(),
    retryDelaysMs: z.array(z.number().int().min(0)).optional(),
    timeoutMs: z.number().int().min(1).optional(),
  })
  .strict();

export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;

export interface WebhookConfig {
  webhookID: string;
  url: string;
  secret: string;
  retryDelaysMs: readonly number[];
  timeoutMs: number;
}

/** Parses and completes a configuration; `keepID` is the current webhook's id when this updates it. */
export function webhookConfig(input: unknown, keepID?: string): WebhookConfig {
  const parsed = webhookConfigSchema.parse(input);
  return {
    webhookID: parsed.webhookID ?? keepID ?? newUUID(),
    url: parsed.url,
    secret: parsed.secret,
    retryDelaysMs: [...(parsed.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS)],
    timeoutMs: parsed.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
  };
}

/** What the admin API shows of a webhook: everything but the secret. */
export function webhookView(config: WebhookConfig): Omit<WebhookConfig, 'secret'> {
  const { secret: _secret, ...view } = config;
  return { ...view, retryDelaysMs: [...view.retryDelaysMs] };
}

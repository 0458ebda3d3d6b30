// The Moov webhook receiver (docs/webhooks.md): verify, route, signal or start. `npm run webhooks` is ./main.
export { ANSWERS } from './answers';
export type { Answer, Refusal } from './answers';
export { WEBHOOK_SETTINGS, webhookConfigFromEnv, DEFAULT_WEBHOOK_BIND_ADDRESS } from './config';
export type { WebhookSettings } from './config';
export { TEMPORAL_DEADLINE_MS } from './deliver';
export { EVENT_ROUTES } from './events';
export { startWebhookReceiver, WEBHOOK_PATH } from './receiver';
export type { WebhookReceiver, WebhookReceiverOptions } from './receiver';
export { runWebhookReceiver } from './main';
export type { RunningWebhookReceiver } from './main';

export { startSandbox, ROUTES } from './server';
export type { SandboxHandle } from './server';
export type { RateLimitScope, SandboxOptions } from './options';
export {
  CLI_DEFAULT_PORT,
  DEFAULT_ACCESS_TOKEN,
  DEFAULT_CREDENTIALS,
  DEFAULT_PARTNER_ACCOUNT_ID,
  DEFAULT_RATE_LIMIT_RPS,
  DEFAULT_RESOLUTION_LINK_TTL_MS,
} from './options';
export { DEMO } from './demo';
export { SANDBOX_VARIABLES } from './variables';
export { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './webhooks/retry-schedule';
export { DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhooks/config';
export type { WebhookConfigInput } from './webhooks/config';
export type { Delivery, DeliveryAttempt, DeliveryState } from './webhooks/delivery-log';
export type { WebhookEvent, WebhookEventType } from './webhooks/events';
export type { Fault, FaultRuleInput } from './faults';
export type { RequestLogEntry } from './request-log';
export type {
  Account,
  Capability,
  Connection,
  FileDetails,
  PaymentLink,
  Representative,
  ResolutionLink,
} from './models';

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
export type { Fault, FaultRuleInput } from './faults';
export type { RequestLogEntry } from './request-log';
export type {
  Account,
  Capability,
  Connection,
  FileDetails,
  PaymentLink,
  ResolutionLink,
} from './models';

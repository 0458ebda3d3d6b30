import pino from 'pino';
import type { Logger } from 'pino';
import type { Credentials } from './auth';
import type { WebhookConfig, WebhookConfigInput } from './webhooks/config';
import { webhookConfig } from './webhooks/config';

export interface SandboxOptions {
  /** 0 = ephemeral (default, for tests); the CLI defaults to 8910. */
  port?: number;
  /** Default 127.0.0.1: the sandbox is for loopback use. */
  host?: string;
  /** Requests per second per account ID; default 40 (Moov production); 0 disables. */
  rateLimitRps?: number;
  /** Token bucket size; defaults to rateLimitRps. */
  rateLimitBurst?: number;
  /**
   * Whose bucket a request spends: `account` (default) = the account ID in the path, as the
   * sandbox reads Moov's "40 requests per second per account ID"; `partner` = one bucket for all
   * of the partner's calls (the stricter reading, used by the benchmark).
   */
  rateLimitScope?: RateLimitScope;
  /** Added latency range per Moov API request, in ms. */
  latencyMs?: [number, number];
  credentials?: Credentials;
  accessTokens?: string[];
  /** Resolution link lifetime; default 30 days (Moov guide). */
  resolutionLinkTtlMs?: number;
  partnerAccountID?: string;
  /**
   * The most accounts one page of GET /accounts returns, whatever `count` asks. Moov documents no
   * maximum; a server that caps pages is what a client must survive (a short page is not the end).
   * Default: no cap.
   */
  maxPageCount?: number;
  /** Seed the demo merchant described in docs/sandbox.md. */
  seedDemo?: boolean;
  /**
   * Where to POST Moov's webhook events, signed with `secret` (docs/sandbox.md, Webhooks); also
   * `retryDelaysMs` (the retry schedule) and `timeoutMs` (per attempt, default 5000). Default: none,
   * until `PUT /_sandbox/webhook` sets one.
   */
  webhook?: WebhookConfigInput;
  /** Request/diagnostic logging; silent by default so tests stay quiet. */
  logger?: Logger;
  /** Entries the request log keeps (`GET /_sandbox/requests`); default 10,000. The benchmark keeps a whole run's. */
  requestLogSize?: number;
}

export type RateLimitScope = 'account' | 'partner';

export interface ResolvedOptions {
  port: number;
  host: string;
  rateLimitRps: number;
  rateLimitBurst: number;
  rateLimitScope: RateLimitScope;
  latencyMs: [number, number] | undefined;
  credentials: Credentials;
  accessTokens: readonly string[];
  resolutionLinkTtlMs: number;
  partnerAccountID: string;
  maxPageCount: number | undefined;
  seedDemo: boolean;
  webhook: WebhookConfig | undefined;
  logger: Logger;
  requestLogSize: number;
}

export const DEFAULT_CREDENTIALS: Credentials = { publicKey: 'sandbox-public-key', secretKey: 'sandbox-secret-key' };
export const DEFAULT_ACCESS_TOKEN = 'sandbox-access-token';
export const DEFAULT_PARTNER_ACCOUNT_ID = '0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d';
export const DEFAULT_RATE_LIMIT_RPS = 40;
export const DEFAULT_RESOLUTION_LINK_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const CLI_DEFAULT_PORT = 8910;
export const DEFAULT_REQUEST_LOG_SIZE = 10_000;

function positiveWhole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1`);
  return value;
}

export function resolveOptions(opts: SandboxOptions = {}): ResolvedOptions {
  const rateLimitRps = opts.rateLimitRps ?? DEFAULT_RATE_LIMIT_RPS;
  if (!Number.isFinite(rateLimitRps) || rateLimitRps < 0) throw new RangeError('rateLimitRps must be >= 0');
  const latency = opts.latencyMs;
  if (latency && !(latency[0] >= 0 && latency[1] >= latency[0])) {
    throw new RangeError('latencyMs must be [min, max] with 0 <= min <= max');
  }
  if (opts.rateLimitScope !== undefined && opts.rateLimitScope !== 'account' && opts.rateLimitScope !== 'partner') {
    throw new RangeError("rateLimitScope must be 'account' or 'partner'");
  }
  const webhook = opts.webhook === undefined ? undefined : parseWebhookOption(opts.webhook);
  const ttl = opts.resolutionLinkTtlMs ?? DEFAULT_RESOLUTION_LINK_TTL_MS;
  if (!(ttl > 0)) throw new RangeError('resolutionLinkTtlMs must be > 0');
  return {
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    rateLimitRps,
    rateLimitBurst: opts.rateLimitBurst ?? rateLimitRps,
    rateLimitScope: opts.rateLimitScope ?? 'account',
    latencyMs: latency,
    credentials: opts.credentials ?? DEFAULT_CREDENTIALS,
    accessTokens: opts.accessTokens ?? [DEFAULT_ACCESS_TOKEN],
    resolutionLinkTtlMs: ttl,
    partnerAccountID: opts.partnerAccountID ?? DEFAULT_PARTNER_ACCOUNT_ID,
    maxPageCount: opts.maxPageCount,
    seedDemo: opts.seedDemo ?? false,
    webhook,
    logger: opts.logger ?? pino({ level: 'silent' }),
    requestLogSize: positiveWhole('requestLogSize', opts.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE),
  };
}

function parseWebhookOption(input: WebhookConfigInput): WebhookConfig {
  try {
    return webhookConfig(input);
  } catch (err) {
    const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    throw new RangeError(`webhook: ${issues.map((i) => `${i.path.join('.') || '(value)'} ${i.message}`).join('; ') || String(err)}`);
  }
}

import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HTTP_TIMEOUT_VARIABLES, MAX_HTTP_TIMEOUTS_MS } from '../domain/activity-timeouts';
import { DEFAULT_TASK_QUEUE } from '../domain/workflow-ids';
import { DEFAULT_FILES_LAYOUT, FILES_LAYOUTS, type FilesLayout } from '../activities/files-layout';
import { keyringFromEnv, type CodecKeyring } from '../codec/codec-config';
import { MoovConfigError, moovConfigFromEnv, type MoovClientConfig } from '../moov';
import { ConfigError, sealConnection, temporalConnectionFromEnv, type TemporalConnection } from './temporal-connection';

/** Everything the worker reads from its environment; Moov keys exist nowhere else. */
export interface WorkerConfig {
  temporal: TemporalConnectionConfig;
  filesRoot: string;
  /** MOOV_PARTNER_ACCOUNT_ID: the partner's own Moov account, which Moov names on the links it creates. */
  partnerAccountID?: string;
  /** FILES_LAYOUT: `per-account` reads an account's files only from FILES_ROOT/<accountID>/; `shared`, from anywhere below FILES_ROOT. */
  filesLayout: FilesLayout;
  /** Task-queue-wide activity rate, shared by every worker polling the queue (Moov allows 40/s). */
  maxActivitiesPerSecond: number;
  /** The worker's name in workflow histories and the Temporal UI (TEMPORAL_WORKER_IDENTITY), e.g. the pod name. */
  identity?: string;
  /** TEMPORAL_MAX_CACHED_WORKFLOWS: the sticky cache size; unset = the SDK's default for the heap. */
  maxCachedWorkflows?: number;
  moov: MoovClientConfig;
  /** Payload encryption keys (TEMPORAL_CODEC_KEYS / TEMPORAL_CODEC_KEY_FILE); absent: plaintext payloads. */
  codec?: CodecKeyring;
}

/** The connection (address, namespace, TLS, API key: see ./temporal-connection) plus the task queue. */
export interface TemporalConnectionConfig extends TemporalConnection {
  taskQueue: string;
}

export { ConfigError };

/**
 * Default TEMPORAL_MAX_ACTIVITIES_PER_SECOND: Moov's documented 40 requests/s. Each activity makes
 * one Moov request when nothing fails (an upload's first attempt trusts the plan's file list), so
 * the queue-wide activity rate is the fleet's request rate; retries and a 409's follow-up list add
 * a few more, and their 429s are retried after Moov's hint. Set it lower when other software
 * spends the same Moov budget. Measured in docs/benchmarks.md.
 */
export const DEFAULT_MAX_ACTIVITIES_PER_SECOND = 40;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

// Address, namespace, TLS and API key come from @temporalio/envconfig (see temporalConnectionFromEnv).
const temporalSchema = z.object({
  TEMPORAL_TASK_QUEUE: nonEmpty.default(DEFAULT_TASK_QUEUE),
});

const workerSchema = z.object({
  FILES_ROOT: z
    .string({ error: 'is required: the folder uploads are read from' })
    .trim()
    .min(1, 'is required: the folder uploads are read from')
    .refine(isDirectory, 'must be an existing directory'),
  // Blank means the default. `shared` is the layout before per-account folders, kept for deployments that still use it.
  FILES_LAYOUT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
    z.enum(FILES_LAYOUTS, { error: `must be one of ${FILES_LAYOUTS.join(', ')}` }).default(DEFAULT_FILES_LAYOUT),
  ),
  TEMPORAL_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive('must be a positive number').default(DEFAULT_MAX_ACTIVITIES_PER_SECOND),
  // Blank means unset (the SDK sizes the cache from the heap). Parked remediations need no cache
  // slot: one evicted while it waits replays its short history when it wakes (docs/benchmarks.md).
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int('must be a whole number').min(0, 'must be 0 (no cache) or more').optional(),
  ),
  // Blank means unset. Moov stamps every resolution link with the partnerAccountID that created it;
  // knowing ours lets a second run adopt the link an earlier run sent instead of waiting 30 days.
  MOOV_PARTNER_ACCOUNT_ID: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(64, 'must be at most 64 characters').regex(/^[A-Za-z0-9-]+$/, 'must be a Moov account ID (letters, digits and dashes)').optional(),
  ),
  // Blank means unset: the SDK's default identity is `<pid>@<hostname>`.
  TEMPORAL_WORKER_IDENTITY: z.string().trim().max(256, 'must be at most 256 characters').optional(),
});

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The first problem names the variable (never its value, which may be a secret). */
function parseOrThrow<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
}

/** Connection (profile file and TEMPORAL_* variables, the way Temporal's SDKs and CLI read them) and task queue. */
export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  const connection = temporalConnectionFromEnv(env);
  const parsed = parseOrThrow(temporalSchema, env);
  return sealConnection({ ...connection, ...(connection.apiKey !== undefined && { apiKey: connection.apiKey }), taskQueue: parsed.TEMPORAL_TASK_QUEUE });
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const temporal = temporalConfigFromEnv(env);
  const worker = parseOrThrow(workerSchema, env);
  return {
    temporal,
    filesRoot: path.resolve(worker.FILES_ROOT),
    ...(worker.MOOV_PARTNER_ACCOUNT_ID !== undefined && { partnerAccountID: worker.MOOV_PARTNER_ACCOUNT_ID }),
    filesLayout: worker.FILES_LAYOUT,
    maxActivitiesPerSecond: worker.TEMPORAL_MAX_ACTIVITIES_PER_SECOND,
    ...(worker.TEMPORAL_WORKER_IDENTITY && { identity: worker.TEMPORAL_WORKER_IDENTITY }),
    ...(worker.TEMPORAL_MAX_CACHED_WORKFLOWS !== undefined && { maxCachedWorkflows: worker.TEMPORAL_MAX_CACHED_WORKFLOWS }),
    moov: assertTimeoutsFitActivities(moovConfigFromEnv(env)),
    ...withCodec(keyringFromEnv(env)),
  };
}

const withCodec = (codec: CodecKeyring | undefined) => (codec ? { codec } : {});

/**
 * The activities' start-to-close timeouts are derived from the largest HTTP timeouts they allow
 * (src/domain/activity-timeouts.ts). A longer one would let Temporal time out an attempt whose
 * request can still land at Moov, and the retry would repeat it.
 */
export function assertTimeoutsFitActivities<T extends Pick<MoovClientConfig, 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs'>>(moov: T): T {
  const configured = { connect: moov.connectTimeoutMs, headers: moov.headersTimeoutMs, body: moov.bodyTimeoutMs };
  for (const phase of ['connect', 'headers', 'body'] as const) {
    if (configured[phase] > MAX_HTTP_TIMEOUTS_MS[phase]) {
      const variable = HTTP_TIMEOUT_VARIABLES[phase];
      throw new MoovConfigError(
        variable,
        `Invalid Moov configuration: ${variable} must be at most ${MAX_HTTP_TIMEOUTS_MS[phase]} ms: the activities' Temporal timeouts leave no room for a longer request`,
      );
    }
  }
  return moov;
}

import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HTTP_TIMEOUT_VARIABLES, MAX_HTTP_TIMEOUTS_MS } from '../domain/activity-timeouts';
import { ConfigError, invalidConfiguration } from '../domain/config-error';
import { defaultsOf, readSettings, setting, type Env, type SettingsOf } from '../domain/settings';
import { DEFAULT_TASK_QUEUE } from '../domain/workflow-ids';
import { parseDocumentsUrl } from '../activities/documents/s3-location';
import { DEFAULT_FILES_LAYOUT, FILES_LAYOUTS } from '../activities/files-layout';
import { keyringFromEnv, type CodecKeyring } from '../codec/codec-config';
import { DEFAULT_DEPLOYMENT_NAME, buildIdSchema, deploymentNameSchema } from './worker-deployment';
import { DEFAULT_AVAILABILITY, MoovConfigError, moovConfigFromEnv, type AvailabilitySettings, type MoovClientConfig, type RequestPacing } from '../moov';
import { sealConnection, temporalConnectionFromEnv, type TemporalConnection } from './temporal-connection';

/**
 * The worker's own settings, one row per variable (src/domain/settings.ts): `WorkerConfig` and
 * the options of `createRemediationWorker` are inferred from it, and the configuration table
 * of docs/configuration.md is generated from it (`npm run docs:settings`). A new setting is a row here and its use.
 */
export const WORKER_SETTINGS = {
  // Address, namespace, TLS and API key come from @temporalio/envconfig (see temporalConnectionFromEnv); the task queue is TEMPORAL_SETTINGS'.
  // Per-account pacing by the Temporal server (src/config/task-queue-config.ts; docs/deploying.md,
  // "Per-account pacing"): every activity's fairness key is the Moov account it addresses.
  accountRateLimit: setting({
    variable: 'MOOV_ACCOUNT_RATE_LIMIT',
    // Moov's documented limit: 40 requests/s per account ID, 10 in test mode (docs.moov.io/api/rate-limits).
    // An activity makes one Moov request when nothing fails, so activities/s per key is requests/s per account.
    default: '40',
    parse: z.coerce.number().positive('must be a positive number'),
    usedBy: 'worker',
    meaning:
      "Moov's limit per account ID, in requests per second. The worker paces each account's requests to it less a 2.5 % margin, with no burst, so no second holds more (`src/moov/request-pacer.ts`), and sets the same paced rate at start as the task queue's per-fairness-key rate, which the Temporal server enforces across all workers (`temporal task-queue config set --fairness-key-rps-limit-default`; every activity's fairness key is the account its request addresses). Moov allows 40 requests/s per account; set `10` against Moov's test mode. With several workers, see docs/deploying.md (Per-account pacing)",
  }),
  partnerRateLimit: setting({
    variable: 'MOOV_PARTNER_RATE_LIMIT',
    // Unset: no queue-wide cap, so one account's pace never waits on another's (the old global 40/s did).
    parse: z.coerce.number().positive('must be a positive number').optional(),
    defaultText: '— (no partner-wide cap)',
    usedBy: 'worker',
    meaning:
      "Moov's limit for the partner as a whole, in requests per second: the worker paces all its requests together to it less the same margin, and sets that paced rate at start as the task queue's rate (`--queue-rps-limit`); with both limits set, each request waits for both. Unset, the worker removes a queue rate set earlier. Set it when Moov (or other software spending the same keys) limits the partner as a whole. If the server refuses the configuration, the worker falls back to the paced rate as its own `TEMPORAL_MAX_ACTIVITIES_PER_SECOND`",
  }),
  breakerFailures: setting({
    variable: 'MOOV_BREAKER_FAILURES',
    // Ten in a row, over three accounts: the chaos run's 15 % fault mix does not open it; an outage does at once.
    default: String(DEFAULT_AVAILABILITY.failuresToOpen),
    parse: z.coerce.number().int('must be a whole number').min(0, 'must be 0 (off) or more'),
    usedBy: 'worker',
    meaning:
      "calls in a row (to at least 3 accounts) that find Moov down (5xx, no answer) before the worker's circuit breaker opens: then it sends no request but one probe every `MOOV_BREAKER_PROBE_INTERVAL_MS`, and the calls it holds back park their remediations at once (docs/reliability.md, Moov outages). `0` turns it off",
  }),
  breakerProbeIntervalMs: setting({
    variable: 'MOOV_BREAKER_PROBE_INTERVAL_MS',
    default: String(DEFAULT_AVAILABILITY.probeIntervalMs),
    parse: z.coerce.number().int('must be a whole number').positive('must be a positive number of milliseconds'),
    usedBy: 'worker',
    meaning: 'while the circuit breaker is open, how often one request goes to Moov to see whether it is back: the fleet sends at most one request per worker per interval to a Moov that is down',
  }),
  maxActivitiesPerSecond: setting({
    variable: 'TEMPORAL_MAX_ACTIVITIES_PER_SECOND',
    // Superseded by MOOV_PARTNER_RATE_LIMIT: a 40/s default here would cap the whole fleet at one account's rate.
    parse: z.coerce.number().positive('must be a positive number').optional(),
    defaultText: '— (none)',
    usedBy: 'worker',
    meaning:
      "the worker's own queue-wide activity rate (the SDK's `maxTaskQueueActivitiesPerSecond`), as before per-account pacing; it no longer defaults to 40. A queue rate the worker applies from `MOOV_PARTNER_RATE_LIMIT` takes precedence over it on the server. Prefer `MOOV_PARTNER_RATE_LIMIT`",
  }),
  maxCachedWorkflows: setting({
    variable: 'TEMPORAL_MAX_CACHED_WORKFLOWS',
    // The SDK sizes its cache from the V8 heap (about 600 per GiB), which follows the machine's RAM, not the
    // container's: 5,000 parked remediations held 4.7 GiB. Parked ones need no slot (one evicted replays its
    // short history when it wakes), so the default comes from WORKER_MEMORY_BUDGET_MIB (src/config/worker-memory.ts;
    // docs.temporal.io/develop/worker-performance/workflow-cache).
    parse: z.coerce.number().int('must be a whole number').min(0, 'must be 0 (no cache) or more').optional(),
    defaultText: '(`WORKER_MEMORY_BUDGET_MIB` − 264) ÷ 3.5, at least 10 and at most the SDK\'s heap-based default (217 with the 1 GiB default budget)',
    usedBy: 'worker',
    meaning:
      "workflows kept in memory between tasks. A cached workflow holds its activator and its own workflow modules' state (the domain modules and zod are shared by all workflows, src/workflows/shared-modules.ts); 3.5 MiB per slot is the sizing's allowance, measured when each workflow still held its own copy of the zod schemas. A workflow not in the cache replays its history at its next task (about 1 CPU-ms to load the workflow code, plus the replay). Remediations parked on another party's link need no slot. Set it to override the budget's figure (docs/benchmarks.md)",
  }),
  memoryBudgetMiB: setting({
    variable: 'WORKER_MEMORY_BUDGET_MIB',
    // Unset: the container's limit (cgroup v2 memory.max, v1 memory.limit_in_bytes), else a fixed 1 GiB (src/config/worker-memory.ts says why).
    parse: z.coerce.number().int('must be a whole number of MiB').positive('must be a positive number').optional(),
    defaultText: "the process's cgroup memory limit, else `1024`",
    usedBy: 'worker',
    meaning:
      "the worker's memory in MiB, from which the default `TEMPORAL_MAX_CACHED_WORKFLOWS` is sized: the worker's own 264 MiB, then 3.5 MiB per cached workflow. Unset, the worker reads its container's memory limit (cgroup), and without one uses 1 GiB (217 slots, enough for a sweep's remediations in flight; a smaller cache makes more wakes replay, see docs/benchmarks.md). Lower it to bound memory when thousands park; raise it (or the container's limit) for larger sweeps",
  }),
  // Work the worker takes on at once. What it has taken waits in the worker in arrival order; what it
  // has not waits at the server in priority order (interactive before bulk: src/domain/start-urgency.ts).
  maxConcurrentWorkflowTasks: setting({
    variable: 'TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS',
    default: '4',
    parse: z.coerce.number().int('must be a whole number').min(2, 'must be at least 2'),
    usedBy: 'worker',
    meaning:
      "workflow tasks the worker runs at once (the SDK's `maxConcurrentWorkflowTaskExecutions`, whose own default is 40). Workflow code runs on a thread or two, so more only queue inside the worker in arrival order, where a sweep's backlog would hold up a new merchant; left at the server they are dispatched interactive first. Each slot is busy for a task's processing plus a round trip to the server: far from the server (Temporal Cloud), raise it to about the workflow tasks per second you need × that time (docs/deploying.md, Per-account pacing)",
  }),
  maxConcurrentActivities: setting({
    variable: 'TEMPORAL_MAX_CONCURRENT_ACTIVITIES',
    default: '32',
    parse: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1'),
    usedBy: 'worker',
    meaning:
      "activities the worker runs at once (the SDK's `maxConcurrentActivityTaskExecutions`, whose own default is 100). Each makes Moov requests over at most `MOOV_MAX_CONNECTIONS` (32) connections: more only wait inside the worker for a connection, in arrival order; left at the server they are dispatched interactive first",
  }),
  // docs.temporal.io/sticky-execution. Below the SDK's 10 s because a mass wake-up waited there
  // for workflows the cache no longer held (docs/benchmarks.md, finding 15).
  stickyScheduleToStartTimeoutMs: setting({
    variable: 'TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT_MS',
    default: '3000',
    parse: z.coerce.number().int('must be a whole number').positive('must be a positive number of milliseconds'),
    usedBy: 'worker',
    meaning:
      "how long a workflow task waits on this worker's sticky queue before the server hands it to the task queue (the SDK's `stickyQueueScheduleToStartTimeout`, whose own default is 10 s). A task moved adds two events to the history and may run on another worker, which replays the workflow. Short helps when many workflows wake at once (links that expire together): most of them are no longer cached, so waiting for this worker saves them nothing (docs/benchmarks.md, finding 15). It is also how long a crashed worker's cached workflows wait before another worker takes them",
  }),
  identity: setting({
    variable: 'TEMPORAL_WORKER_IDENTITY',
    parse: z.string().max(256, 'must be at most 256 characters').optional(),
    defaultText: '`<pid>@<hostname>`',
    usedBy: 'worker',
    meaning: "the worker's name in workflow histories and the Temporal UI, e.g. the pod name",
  }),
  // Worker Deployment Versioning (docs.temporal.io/production-deployment/worker-deployments/worker-versioning; docs/deploying.md).
  deploymentName: setting({
    variable: 'TEMPORAL_DEPLOYMENT_NAME',
    default: DEFAULT_DEPLOYMENT_NAME,
    parse: deploymentNameSchema,
    usedBy: 'worker',
    meaning: 'the Worker Deployment this worker belongs to; used only with `TEMPORAL_WORKER_BUILD_ID`',
  }),
  buildId: setting({
    variable: 'TEMPORAL_WORKER_BUILD_ID',
    // No default: an existing deployment keeps running unversioned until its image names a build.
    parse: buildIdSchema.optional(),
    defaultText: '— (versioning off)',
    usedBy: 'worker',
    meaning:
      "this worker's build (the image's `BUILD_ID`). Set, the worker joins Worker Deployment Versioning as version `TEMPORAL_DEPLOYMENT_NAME`/build: it takes only tasks the server routes to that version, and a new build takes new work once made current (`temporal worker deployment set-current-version`). Unset, the worker is unversioned, as before. See docs/deploying.md (Option 2: Worker Versioning)",
  }),
  filesRoot: setting({
    variable: 'FILES_ROOT',
    // Required unless DOCUMENTS_URL names object storage (checked in workerConfigFromEnv).
    parse: z
      .string()
      .refine(isDirectory, 'must be an existing directory')
      .transform((dir) => path.resolve(dir))
      .optional(),
    defaultText: '*required* by the worker, unless `DOCUMENTS_URL` is set',
    usedBy: 'worker',
    meaning:
      'folder that uploads are read from. With the default `FILES_LAYOUT` each account\'s files are in `FILES_ROOT/<accountID>/` and input paths are relative to that folder; `..`, absolute paths and symlinks that lead outside it (another account\'s folder included) are refused',
  }),
  filesLayout: setting({
    variable: 'FILES_LAYOUT',
    // `shared` is the layout before per-account folders, kept for deployments that still use it.
    default: DEFAULT_FILES_LAYOUT,
    parse: z.enum(FILES_LAYOUTS, { error: `must be one of ${FILES_LAYOUTS.join(', ')}` }),
    usedBy: 'worker',
    meaning:
      '`per-account`: a remediation reads only `FILES_ROOT/<accountID>/`. `shared`: input paths are relative to `FILES_ROOT` itself and any account may read any file below it (the layout before per-account folders; see [Files](#how-a-remediation-works))',
  }),
  // Object storage instead of FILES_ROOT (src/activities/documents/s3-bucket.ts; docs/configuration.md, "Documents in object storage").
  documentsUrl: setting({
    variable: 'DOCUMENTS_URL',
    parse: z
      .string()
      .transform((url, ctx) => {
        try {
          return parseDocumentsUrl(url);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    defaultText: '— (documents from `FILES_ROOT`)',
    usedBy: 'worker',
    meaning:
      "`s3://bucket/prefix`: the worker reads an account's documents from S3 (or an S3-compatible store) below `prefix/<accountID>/`, and input paths are keys relative to that prefix. Credentials and region come from the AWS SDK's standard chain (`AWS_REGION`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_PROFILE`, web identity, container and instance roles); the worker needs only `s3:GetObject` on the prefix. Set, `FILES_ROOT` is not needed",
  }),
  documentsS3Endpoint: setting({
    variable: 'DOCUMENTS_S3_ENDPOINT',
    parse: z.url({ error: 'must be a URL such as http://127.0.0.1:9000' }).optional(),
    defaultText: '— (AWS S3)',
    usedBy: 'worker',
    meaning: 'the endpoint of an S3-compatible store (MinIO, Cloudflare R2, Ceph) for `DOCUMENTS_URL`; unset: AWS S3 in `AWS_REGION`',
  }),
  documentsS3ForcePathStyle: setting({
    variable: 'DOCUMENTS_S3_FORCE_PATH_STYLE',
    parse: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true').optional(),
    defaultText: '`true` with `DOCUMENTS_S3_ENDPOINT`, else `false`',
    usedBy: 'worker',
    meaning: 'path-style requests (`endpoint/bucket/key`) instead of virtual-hosted ones (`bucket.endpoint/key`); most S3-compatible stores need them',
  }),
  partnerAccountID: setting({
    variable: 'MOOV_PARTNER_ACCOUNT_ID',
    // Moov stamps every resolution link with the partnerAccountID that created it; knowing ours
    // lets a second run adopt the link an earlier run sent instead of waiting 30 days.
    parse: z.string().max(64, 'must be at most 64 characters').regex(/^[A-Za-z0-9-]+$/, 'must be a Moov account ID (letters, digits and dashes)').optional(),
    defaultText: '—',
    usedBy: 'worker',
    meaning:
      "your partner account's Moov ID. Moov names it on every resolution link it creates (`partnerAccountID`), and with it a remediation adopts the link an earlier run sent instead of waiting up to 30 days behind it. Recommended; without it only a link created during the same run is recognised as ours. The sandbox's is `0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d`",
  }),
  workflowBundlePath: setting({
    variable: 'WORKFLOW_BUNDLE_PATH',
    parse: z.string().optional(),
    defaultText: 'a matching `dist/workflow-bundle*.js`',
    usedBy: 'worker',
    meaning: 'the prebuilt workflow bundle to run; it must exist and match the worker, else the worker stops. See [Deployment](#deployment)',
  }),
};

/** The connection settings the project reads itself, besides envconfig's (worker, CLI, client). */
export const TEMPORAL_SETTINGS = {
  taskQueue: setting({
    variable: 'TEMPORAL_TASK_QUEUE',
    default: DEFAULT_TASK_QUEUE,
    blankIsValue: true,
    parse: z.string().min(1, 'must not be empty'),
    usedBy: 'worker, CLI, webhook receiver',
    meaning: 'task queue',
  }),
};

export type WorkerSettings = SettingsOf<typeof WORKER_SETTINGS>;

/** Everything the worker reads from its environment; Moov keys exist nowhere else. */
export type WorkerConfig = WorkerSettings & {
  temporal: TemporalConnectionConfig;
  moov: MoovClientConfig;
  /** Payload encryption keys (TEMPORAL_CODEC_KEYS / TEMPORAL_CODEC_KEY_FILE); absent: plaintext payloads. */
  codec?: CodecKeyring;
};

/** The connection (address, namespace, TLS, API key: see ./temporal-connection) plus the task queue. */
export interface TemporalConnectionConfig extends TemporalConnection {
  taskQueue: string;
}

export { ConfigError };

/** Default MOOV_ACCOUNT_RATE_LIMIT. */
export const DEFAULT_ACCOUNT_RATE_LIMIT = defaultsOf(WORKER_SETTINGS).accountRateLimit!;

/** The worker's circuit breaker (src/moov/availability.ts), or none with MOOV_BREAKER_FAILURES=0. */
export function moovAvailabilitySettingsOf(settings: Partial<Pick<WorkerSettings, 'breakerFailures' | 'breakerProbeIntervalMs'>>): Partial<AvailabilitySettings> | undefined {
  const failuresToOpen = settings.breakerFailures ?? DEFAULT_AVAILABILITY.failuresToOpen;
  if (failuresToOpen === 0) return undefined;
  return { failuresToOpen, probeIntervalMs: settings.breakerProbeIntervalMs ?? DEFAULT_AVAILABILITY.probeIntervalMs };
}

/** Moov's limits as the worker is told them (MOOV_ACCOUNT_RATE_LIMIT, MOOV_PARTNER_RATE_LIMIT). */
export function moovLimitsOf(settings: Partial<Pick<WorkerSettings, 'accountRateLimit' | 'partnerRateLimit'>>): RequestPacing {
  return {
    accountPerSecond: settings.accountRateLimit ?? DEFAULT_ACCOUNT_RATE_LIMIT,
    ...(settings.partnerRateLimit !== undefined && { partnerPerSecond: settings.partnerRateLimit }),
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Connection (profile file and TEMPORAL_* variables, the way Temporal's SDKs and CLI read them) and task queue. */
export function temporalConfigFromEnv(env: Env = process.env): TemporalConnectionConfig {
  const connection = temporalConnectionFromEnv(env);
  const { taskQueue } = readSettings(TEMPORAL_SETTINGS, env);
  return sealConnection({ ...connection, ...(connection.apiKey !== undefined && { apiKey: connection.apiKey }), taskQueue });
}

export function workerConfigFromEnv(env: Env = process.env): WorkerConfig {
  const temporal = temporalConfigFromEnv(env);
  const settings = readSettings(WORKER_SETTINGS, env);
  if (settings.filesRoot === undefined && settings.documentsUrl === undefined) {
    throw new ConfigError('FILES_ROOT', invalidConfiguration('FILES_ROOT', 'is required: the folder uploads are read from'));
  }
  const moov = assertTimeoutsFitActivities(moovConfigFromEnv(env));
  const codec = keyringFromEnv(env);
  return { temporal, ...settings, moov, ...(codec && { codec }) };
}

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

import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../domain/workflow-ids';
import { moovConfigFromEnv, type MoovClientConfig } from '../moov';

/** Everything the worker reads from its environment; Moov keys exist nowhere else. */
export interface WorkerConfig {
  temporal: TemporalConnectionConfig;
  filesRoot: string;
  /** Task-queue-wide activity rate, shared by every worker polling the queue (Moov allows 40/s). */
  maxActivitiesPerSecond: number;
  moov: MoovClientConfig;
}

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const temporalSchema = z.object({
  TEMPORAL_ADDRESS: nonEmpty.regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233').default('localhost:7233'),
  TEMPORAL_NAMESPACE: nonEmpty.default('default'),
  TEMPORAL_TASK_QUEUE: nonEmpty.default(DEFAULT_TASK_QUEUE),
});

const workerSchema = z.object({
  FILES_ROOT: z
    .string({ error: 'is required: the folder uploads are read from' })
    .trim()
    .min(1, 'is required: the folder uploads are read from')
    .refine(isDirectory, 'must be an existing directory'),
  TEMPORAL_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive('must be a positive number').default(35),
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

export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  const parsed = parseOrThrow(temporalSchema, env);
  return { address: parsed.TEMPORAL_ADDRESS, namespace: parsed.TEMPORAL_NAMESPACE, taskQueue: parsed.TEMPORAL_TASK_QUEUE };
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const temporal = temporalConfigFromEnv(env);
  const worker = parseOrThrow(workerSchema, env);
  return {
    temporal,
    filesRoot: path.resolve(worker.FILES_ROOT),
    maxActivitiesPerSecond: worker.TEMPORAL_MAX_ACTIVITIES_PER_SECOND,
    moov: moovConfigFromEnv(env),
  };
}

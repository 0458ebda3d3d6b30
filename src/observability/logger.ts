import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import pino from 'pino';
import type { LogLevelName } from './config';

/**
 * Keys that must never reach a log line with their value, wherever a caller puts them: Moov
 * credentials, authorization headers, and the merchant's contact details (a resolution link's
 * recipient, an account's email/phone). Defence in depth: the code paths that log do not pass
 * them in the first place (the Moov client never logs bodies or headers).
 */
export const REDACT_KEYS = [
  'authorization',
  'Authorization',
  'secretKey',
  'publicKey',
  'accessToken',
  'password',
  'secret',
  'auth',
  'MOOV_SECRET_KEY',
  'MOOV_PUBLIC_KEY',
  'MOOV_ACCESS_TOKEN',
  'recipient',
  'email',
  'phone',
] as const;

/** Each key at the top level, one level down, and in `headers` objects. */
export const REDACT_PATHS: string[] = REDACT_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]).concat(
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
);

export interface CreateLoggerOptions {
  /** Default `info`. */
  level?: LogLevelName;
  /** Where JSON lines go; default stdout. Tests pass an in-memory stream. */
  destination?: pino.DestinationStream;
}

/** The project's JSON logger: one JSON object per line, ISO time, string level, secrets redacted. */
export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  return pino(
    {
      name: 'moov-remediation-worker',
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // The SDK passes failures as `error`; serialize them like `err` (type, message, stack, cause).
      serializers: { err: pino.stdSerializers.errWithCause, error: pino.stdSerializers.errWithCause },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's `Logger` on top of pino: the Runtime logger, so the worker's own messages,
 * activity `Context.log` (with workflowId, runId, activityType, attempt…), workflow `log` (sent
 * through a sink, skipped on replay) and forwarded Core logs all become JSON lines.
 *
 * Attribute names are normalised: the SDK calls the run id `workflowRunId` on activity lines and
 * `runId` on workflow lines; both become `runId`. The activity's task token is dropped: it is a
 * credential (whoever holds it can complete the activity) and useless to a reader.
 */
export class PinoTemporalLogger implements Logger {
  constructor(readonly pino: pino.Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = PINO_LEVEL[level] ?? 'info';
    if (!this.pino.isLevelEnabled(method)) return;
    this.pino[method](normaliseMeta(meta), message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

function normaliseMeta(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!meta) return out;
  // Object.entries skips symbol keys (the SDK's internal LogTimestamp).
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined || key === 'taskToken') continue;
    if (key === 'workflowRunId') out.runId ??= value;
    else out[key] = value;
  }
  return out;
}

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

const CENSOR = '[redacted]';
const REDACTED: ReadonlySet<string> = new Set(REDACT_KEYS);
/** How far below a line's top level a key is censored: REDACT_PATHS' deepest wildcard (`*.*.key`). */
const REDACT_DEPTH = 2;

/**
 * `value` with every REDACT_KEYS key at its top level and up to REDACT_DEPTH levels down censored
 * (the paths of REDACT_PATHS; `headers.authorization` is one of them), copying only the objects
 * on the way to a censored key and never changing the caller's. Done here rather than with pino's
 * `redact` option, which runs its paths (about 30 for every top-level key, wildcards first) on
 * every field of every line, strings and numbers included: it was the largest single cost of a
 * worker's log line. Plain objects and arrays are walked; values with their own `toJSON` (dates,
 * buffers) are left as they are, and errors are censored once serialized (below).
 */
export function censorKeys<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > REDACT_DEPTH) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || value instanceof Error) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const inner = source[key];
    const censored = REDACTED.has(key) ? CENSOR : censorKeys(inner, depth + 1);
    if (censored !== inner) {
      copy ??= Array.isArray(value) ? [...(value as unknown[])] : { ...source };
      (copy as Record<string, unknown>)[key] = censored;
    }
  }
  return (copy ?? value) as T;
}

/** A serializer whose result (an error, as `errWithCause` makes it) is censored like the line's own fields, one level down. */
function censored<T>(serialize: (value: T) => unknown): (value: T) => unknown {
  return (value) => censorKeys(serialize(value), 1);
}

export interface CreateLoggerOptions {
  /** Default `info`. */
  level?: LogLevelName;
  /** Where JSON lines go; default stdout. Tests pass an in-memory stream. */
  destination?: pino.DestinationStream;
}

/** The project's JSON logger: one JSON object per line, ISO time, string level, secrets redacted. */
export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  const logger = pino(
    {
      name: 'moov-remediation-worker',
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      // REDACT_PATHS, censored once per line (censorKeys); child bindings below.
      formatters: { level: (label) => ({ level: label }), log: (fields) => censorKeys(fields) },
      // The SDK passes failures as `error`; serialize them like `err` (type, message, stack, cause).
      serializers: { err: censored(pino.stdSerializers.errWithCause), error: censored(pino.stdSerializers.errWithCause) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // A child's bindings are written into every line it logs: censored once, when it is made. Its
  // own children inherit this method (pino's children are made with Object.create of the parent).
  type Child = (this: pino.Logger, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) => pino.Logger;
  const child = logger.child as unknown as Child;
  const censoredChild: Child = function (bindings, childOptions) {
    return child.call(this, censorKeys(bindings), childOptions);
  };
  logger.child = censoredChild as unknown as pino.Logger['child'];
  return logger;
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

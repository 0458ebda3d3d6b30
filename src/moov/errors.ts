import { STATUS_CODES } from 'node:http';
import { ConfigError } from '../domain/config-error';
import { isRetried, type MoovFailureCondition } from '../domain/failure-types';

/**
 * What the caller (a Temporal activity) should do next:
 * - `retryable`: try again later (honour `retryAfterMs` when set);
 * - `conflict`: the target's state forbids this call (409) — usually means "already done";
 * - `permanent`: retrying the same call cannot succeed.
 */
export type MoovErrorClass = 'retryable' | 'conflict' | 'permanent';

/** `held-back`: no request left; the worker's circuit breaker held it back (src/moov/availability.ts). */
export type MoovErrorKind = 'http' | 'network' | 'timeout' | 'invalid-request' | 'invalid-response' | 'held-back';

export interface MoovErrorInit {
  operation: string;
  kind: MoovErrorKind;
  /** What went wrong; the error class follows from it (errorClassOf). */
  condition: MoovFailureCondition;
  message: string;
  status?: number;
  moovMessage?: string;
  fieldErrors?: Record<string, unknown>;
  requestId?: string;
  retryAfterMs?: number;
  code?: string;
  cause?: unknown;
}

/** The only error the client throws for a call. Carries no credentials, by construction. */
export class MoovError extends Error {
  override readonly name = 'MoovError';
  readonly operation: string;
  readonly kind: MoovErrorKind;
  readonly errorClass: MoovErrorClass;
  declare readonly status?: number;
  declare readonly moovMessage?: string;
  declare readonly fieldErrors?: Record<string, unknown>;
  declare readonly requestId?: string;
  declare readonly retryAfterMs?: number;
  /** Low-level error code for network/timeout failures (e.g. ECONNRESET, UND_ERR_HEADERS_TIMEOUT). */
  declare readonly code?: string;
  /** For `http` errors what the status means (statusCondition); otherwise the kind of failure. */
  readonly condition: MoovFailureCondition;

  constructor(init: MoovErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.kind = init.kind;
    this.condition = init.condition;
    this.errorClass = errorClassOf(init.condition);
    // Only defined fields become own properties, so JSON and inspect output stay uncluttered.
    if (init.status !== undefined) this.status = init.status;
    if (init.moovMessage !== undefined) this.moovMessage = init.moovMessage;
    if (init.fieldErrors !== undefined) this.fieldErrors = init.fieldErrors;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
  }

  get retryable(): boolean {
    return this.errorClass === 'retryable';
  }

  /** `JSON.stringify(err)` would otherwise drop `message`, the most useful field in a log line. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      kind: this.kind,
      errorClass: this.errorClass,
      status: this.status,
      moovMessage: this.moovMessage,
      fieldErrors: this.fieldErrors,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      condition: this.condition,
    };
  }
}

/** Thrown by config parsing; the message (`Invalid Moov configuration: …`) names the variable, never its value. */
export class MoovConfigError extends ConfigError {
  override readonly name: string = 'MoovConfigError';
}

export function invalidRequest(operation: string, problems: string): MoovError {
  return new MoovError({
    operation,
    kind: 'invalid-request',
    condition: 'invalid-request',
    message: `${operation}: invalid request — ${problems} (nothing was sent to Moov)`,
  });
}

/** What an error status says: one of the Moov failure conditions (src/domain/failure-types.ts). */
export type HttpCondition = Exclude<MoovFailureCondition, 'network' | 'timeout' | 'invalid-request' | 'invalid-response' | 'unavailable'>;

/**
 * The error statuses with a meaning of their own (RFC 9110 §15); every other status takes its
 * range's condition (statusCondition). Whether each is retried is decided once, by its failure type.
 */
const STATUS_CONDITIONS: ReadonlyMap<number, HttpCondition> = new Map([
  [400, 'validation'],
  [401, 'auth'],
  [403, 'auth'],
  [404, 'not-found'],
  // RFC 9110 §15.5.9: the server closed a request it waited too long for; sending it again is the remedy.
  [408, 'request-timeout'],
  [409, 'conflict'],
  [422, 'validation'],
  // RFC 8470 §5.2: the server will not process a possibly replayed request yet; retry later.
  [425, 'too-early'],
  [429, 'rate-limited'],
  // RFC 9110 §15.6.2: the server does not support what the request needs; no retry can change that.
  [501, 'not-implemented'],
] as const);

/** Other 5xx are server errors; other 4xx, and 1xx/3xx (redirects are never followed), client errors. */
export function statusCondition(status: number): HttpCondition {
  return STATUS_CONDITIONS.get(status) ?? (status >= 500 ? 'server-error' : 'client-error');
}

/** A 409 is its own class (the target's state forbids the call: often "already done"); the rest follow the retry table. */
export function errorClassOf(condition: MoovFailureCondition): MoovErrorClass {
  if (condition === 'conflict') return 'conflict';
  return isRetried(condition) ? 'retryable' : 'permanent';
}

export function classifyStatus(status: number): MoovErrorClass {
  return errorClassOf(statusCondition(status));
}

export interface HttpFailure {
  operation: string;
  status: number;
  requestId: string | undefined;
  retryAfterMs: number | undefined;
  bodyText: string;
  /** Scope(s) an access token needs for this call, already specialised to the account. */
  requiredScopes?: readonly string[];
  /** What a 404 means for this call, e.g. "account 123" (see notFoundSubject). */
  notFound?: string;
}

/**
 * What a 404 on this request path says is missing: `account <id>`, or `account <id> or its
 * payment link <code>` for a path below the account. Moov documents 404 with headers only, so
 * without this the message would not say what was not found.
 */
export function notFoundSubject(path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/').filter(Boolean).map(safeDecode);
  if (segments[0] !== 'accounts' || segments.length < 2) return undefined;
  const account = `account ${segments[1]}`;
  if (segments.length < 4) return account;
  const kind: Record<string, string> = { files: 'file', 'resolution-links': 'resolution link', 'payment-links': 'payment link', capabilities: 'capability' };
  return `${account} or its ${kind[segments[2]!] ?? segments[2]} ${segments[3]}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Moov error bodies: `{error: "..."}` for most statuses, `{field: "msg" | {index: "msg"}}` for 422. */
export function parseErrorBody(bodyText: string): { moovMessage?: string; fieldErrors?: Record<string, unknown>; snippet?: string } {
  const trimmed = bodyText.trim();
  if (!trimmed) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // A proxy's HTML error page or plain text: a short excerpt still helps whoever reads the log.
    return { snippet: trimmed.replace(/\s+/g, ' ').slice(0, 200) };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return typeof parsed === 'string' ? { moovMessage: parsed } : {};
  }
  const record = parsed as Record<string, unknown>;
  const { error, ...rest } = record;
  const result: { moovMessage?: string; fieldErrors?: Record<string, unknown> } = {};
  if (typeof error === 'string' && error) result.moovMessage = error;
  if (Object.keys(rest).length > 0) result.fieldErrors = rest;
  return result;
}

function flattenFieldErrors(fields: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') out.push(...flattenFieldErrors(value as Record<string, unknown>, path));
    else out.push(`${path}: ${String(value)}`);
  }
  return out;
}

export function httpError(failure: HttpFailure): MoovError {
  const { operation, status, requestId, retryAfterMs } = failure;
  const { moovMessage, fieldErrors, snippet } = parseErrorBody(failure.bodyText);
  const details: string[] = [];
  if (moovMessage) details.push(moovMessage);
  if (fieldErrors) details.push(flattenFieldErrors(fieldErrors).join('; '));
  if (!moovMessage && !fieldErrors && snippet) details.push(snippet);
  if (status === 401) {
    details.push('check MOOV_PUBLIC_KEY/MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN');
  } else if (status === 403) {
    details.push(
      failure.requiredScopes?.length
        ? `the credentials lack permission; an access token for this call needs scope ${failure.requiredScopes.join(', ')}`
        : 'the credentials lack permission for this call',
    );
  } else if (status === 404 && !moovMessage && !fieldErrors && failure.notFound) {
    details.push(`Moov has no ${failure.notFound}`);
  } else if (status === 501) {
    details.push('Moov does not implement this call, so it is not retried');
  }
  if (retryAfterMs !== undefined) details.push(`retry in ${retryAfterMs} ms`);
  const reason = STATUS_CODES[status] ?? 'Unexpected Status';
  const message =
    `${operation} failed: ${status} ${reason}` +
    (details.length ? ` — ${details.join('; ')}` : '') +
    ` (request id ${requestId ?? 'none'})`;
  return new MoovError({
    operation,
    kind: 'http',
    condition: statusCondition(status),
    message,
    status,
    ...(moovMessage !== undefined && { moovMessage }),
    ...(fieldErrors !== undefined && { fieldErrors }),
    ...(requestId !== undefined && { requestId }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** Caller bugs surfacing from undici; retrying the same arguments cannot help. */
const PERMANENT_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_URL']);

function errorCode(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== 'object' || depth > 3) return undefined;
  const e = err as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  // Happy-eyeballs connects fail with an AggregateError whose members carry the code.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(e.cause, depth + 1);
}

/**
 * A failure with no HTTP response (or a response whose body never arrived). Every such failure is
 * retryable except the few that mean our own arguments were wrong: connection resets, refusals,
 * DNS hiccups and closed sockets are what Temporal's retry policy is for.
 */
export function transportError(operation: string, err: unknown, requestId?: string): MoovError {
  const code = errorCode(err);
  const detail = err instanceof Error && err.message ? err.message : String(err);
  const idNote = requestId ? ` (request id ${requestId})` : '';
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const phase =
      code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'waiting for response headers' : code === 'UND_ERR_BODY_TIMEOUT' ? 'reading the response body' : 'on the socket';
    return new MoovError({
      operation,
      kind: 'timeout',
      condition: 'timeout',
      code,
      message: `${operation} failed: timed out ${phase} (${code})${idNote}`,
      cause: err,
      ...(requestId !== undefined && { requestId }),
    });
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new MoovError({
      operation,
      kind: 'invalid-response',
      condition: 'invalid-response',
      code,
      message: `${operation} failed: response body exceeded the client's size limit${idNote}`,
      cause: err,
      ...(requestId !== undefined && { requestId }),
    });
  }
  const permanent = code !== undefined && PERMANENT_CODES.has(code);
  return new MoovError({
    operation,
    kind: permanent ? 'invalid-request' : 'network',
    condition: permanent ? 'invalid-request' : 'network',
    message: `${operation} failed: ${permanent ? 'request rejected by the HTTP client' : 'network error'} — ${detail}${code ? ` (${code})` : ''}${idNote}`,
    cause: err,
    ...(code !== undefined && { code }),
    ...(requestId !== undefined && { requestId }),
  });
}

/** The circuit breaker's refusal: nothing was sent, so nothing can have happened at Moov. */
export function heldBack(operation: string, failingSince: Date): MoovError {
  return new MoovError({
    operation,
    kind: 'held-back',
    condition: 'unavailable',
    message: `${operation} not sent: Moov has failed every call from this worker since ${failingSince.toISOString()} (circuit breaker open; a probe call checks whether it is back)`,
  });
}

export function invalidResponse(operation: string, status: number, requestId: string | undefined, problem: string): MoovError {
  return new MoovError({
    operation,
    kind: 'invalid-response',
    condition: 'invalid-response',
    status,
    message: `${operation}: Moov returned ${status} with an unexpected body — ${problem} (request id ${requestId ?? 'none'})`,
    ...(requestId !== undefined && { requestId }),
  });
}

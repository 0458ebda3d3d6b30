import { inspect } from 'node:util';
import { FormData } from 'undici';
import type { z } from 'zod';
import { MOOV_FAILURE_TYPES, isOutageFailureType } from '../domain/failure-types';
import { validateMoovConfig } from './config';
import type { MoovClientConfig } from './config';
import type { Admission, CallVerdict, MoovAvailability } from './availability';
import { MoovError, heldBack, httpError, invalidRequest, invalidResponse, notFoundSubject, transportError } from './errors';
import { FileSourceError, MAX_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES, openFileSource } from './file-source';
import { multipartBody, type StreamedFilePart } from './multipart-body';
import type { MoovClientOptions, MoovExchange, MoovExchangeObserver } from './observer';
import { MOOV_OPERATIONS, routeOf, type MoovOperation, type MoovOperationName } from './operations';
import { listAccountsQuerySchema } from './schemas/accounts';
import type { Account, Capability, ListAccountsQuery } from './schemas/accounts';
import { formatIssues, pathParam, requiredErrorMap } from './schemas/common';
import { shareConnectionSchema } from './schemas/connections';
import type { ShareConnection } from './schemas/connections';
import { uploadFileRequestSchema, uploadStreamedFileRequestSchema } from './schemas/files';
import type { FileDetails, UploadFileRequest, UploadStreamedFileRequest } from './schemas/files';
import { updatePaymentLinkSchema } from './schemas/payment-links';
import type { PaymentLink, UpdatePaymentLink } from './schemas/payment-links';
import { createResolutionLinkSchema } from './schemas/resolution-links';
import type { CreateResolutionLink, ResolutionLink } from './schemas/resolution-links';
import { Transport } from './transport';
import type { TransportRequest } from './transport';
import type { Departure, RequestPacer } from './request-pacer';
import { parseWaitHint } from './wait-hint';

/** Per-call options that do not change what is sent. */
export interface CallOptions {
  /** Gives up on the exchange when aborted (pass the Temporal activity's cancellation signal). */
  signal?: AbortSignal;
}

/** The HTTP timeouts this client runs with, per undici phase. */
export interface RequestTimeouts {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export interface MoovResponse<T> {
  data: T;
  status: number;
  requestId: string | undefined;
}

/** One exchange: what the transport sends, plus what the client checks the answer against. */
interface Call<T> extends TransportRequest {
  /** `null`: the call succeeds without a body (201/204) and whatever body arrives is ignored. */
  response: z.ZodType<T> | null;
  /** Access-token scopes Moov documents for the call (SDK docs), named in 403 messages. */
  scopes?: readonly string[];
}

function validate<S extends z.ZodType>(operation: string, schema: S, value: unknown, root?: string): z.infer<S> {
  const result = schema.safeParse(value, { error: requiredErrorMap });
  if (!result.success) throw invalidRequest(operation, formatIssues(result.error, root));
  return result.data;
}

function segment(operation: string, name: string, value: unknown): string {
  // Encoded even after validation: a '%' or '?' in an ID must not change the URL's meaning.
  return encodeURIComponent(validate(operation, pathParam, value, name));
}

/** Fills a route or scope template's `{name}` placeholders. */
function fillRoute(template: string, value: (name: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => value(name));
}

/** The body type of an operation's 2xx answer (void for those without one). */
type ResponseOf<O extends MoovOperationName> = (typeof MOOV_OPERATIONS)[O]['response'] extends z.ZodType<infer T> ? T : void;

/**
 * Typed Moov API client. Each method makes exactly one HTTP attempt and either returns the
 * validated body or throws MoovError with an errorClass for the caller's retry policy.
 * Input is validated before anything is sent, so an invalid-request error means no request left.
 */
export class MoovClient {
  readonly #transport: Transport;
  readonly #description: Record<string, unknown>;
  readonly #onExchange: MoovExchangeObserver | undefined;
  readonly #pacer: RequestPacer | undefined;
  readonly #availability: MoovAvailability | undefined;
  /** Its HTTP timeouts per undici phase: the worker checks that they fit the activities' Temporal timeouts. */
  readonly timeouts: Readonly<RequestTimeouts>;

  constructor(config: MoovClientConfig, options: MoovClientOptions = {}) {
    const safe = validateMoovConfig(config);
    this.#onExchange = options.onExchange;
    this.#pacer = options.pacer;
    this.#availability = options.availability;
    this.timeouts = Object.freeze({ connectTimeoutMs: safe.connectTimeoutMs, headersTimeoutMs: safe.headersTimeoutMs, bodyTimeoutMs: safe.bodyTimeoutMs });
    this.#transport = new Transport(safe);
    this.#description = { baseUrl: safe.baseUrl, moovVersion: safe.moovVersion, auth: safe.auth.kind };
  }

  /** Closes pooled connections; in-flight calls finish first. Safe to call more than once. */
  close(): Promise<void> {
    return this.#transport.close();
  }

  toJSON(): Record<string, unknown> {
    return { MoovClient: this.#description };
  }

  [inspect.custom](): string {
    return `MoovClient ${inspect(this.#description)}`;
  }

  /** The longest one exchange can take with these timeouts: every undici phase run to its limit. */
  get longestRequestMs(): number {
    return this.timeouts.connectTimeoutMs + this.timeouts.headersTimeoutMs + this.timeouts.bodyTimeoutMs;
  }

  async uploadFile(accountID: string, req: UploadFileRequest, options: CallOptions = {}): Promise<MoovResponse<FileDetails>> {
    const operation = 'uploadFile';
    // Checked before the file is opened: a bad ID must not cost a read of the disk.
    segment(operation, 'accountID', accountID);
    const input = validate(operation, uploadFileRequestSchema, req);
    let source;
    try {
      source = await openFileSource(input.filePath, input.fileName);
    } catch (err) {
      if (err instanceof FileSourceError) throw invalidRequest(operation, err.message);
      throw err;
    }
    const form = new FormData();
    form.append('file', source.blob, source.fileName);
    form.append('filePurpose', input.filePurpose);
    if (input.metadata && Object.keys(input.metadata).length > 0) form.append('metadata', JSON.stringify(input.metadata));
    return this.#call('uploadFile', { accountID }, () => ({ form, ...(options.signal !== undefined && { signal: options.signal }) }));
  }

  /**
   * The same upload with the bytes from a stream (object storage) instead of a path: the caller has
   * checked the content (type, size) before; here the size and name Moov would refuse are checked
   * again before anything is sent, and the part streams with a Content-Length fixed in advance.
   */
  async uploadFileStream(accountID: string, file: StreamedFilePart, req: UploadStreamedFileRequest, options: CallOptions = {}): Promise<MoovResponse<FileDetails>> {
    const operation = 'uploadFile';
    segment(operation, 'accountID', accountID);
    const input = validate(operation, uploadStreamedFileRequestSchema, req);
    if (!file.fileName || file.fileName.length > MAX_FILE_NAME_LENGTH || /[/\\]/.test(file.fileName)) {
      throw invalidRequest(operation, `fileName: must be 1 to ${MAX_FILE_NAME_LENGTH} characters with no path separators (got "${file.fileName}")`);
    }
    if (!Number.isInteger(file.sizeBytes) || file.sizeBytes < 1 || file.sizeBytes > MAX_UPLOAD_BYTES) {
      throw invalidRequest(operation, `file: ${file.sizeBytes} bytes; Moov accepts 1 to ${MAX_UPLOAD_BYTES} bytes (10 MB)`);
    }
    const fields: [string, string][] = [['filePurpose', input.filePurpose]];
    if (input.metadata && Object.keys(input.metadata).length > 0) fields.push(['metadata', JSON.stringify(input.metadata)]);
    const multipart = multipartBody(file, fields);
    return this.#call('uploadFile', { accountID }, () => ({ multipart, ...(options.signal !== undefined && { signal: options.signal }) }));
  }

  listFiles(accountID: string): Promise<MoovResponse<FileDetails[]>> {
    return this.#call('listFiles', { accountID });
  }

  getFile(accountID: string, fileID: string): Promise<MoovResponse<FileDetails>> {
    return this.#call('getFile', { accountID, fileID });
  }

  createResolutionLink(accountID: string, req: CreateResolutionLink): Promise<MoovResponse<ResolutionLink>> {
    return this.#call('createResolutionLink', { accountID }, (op) => ({ json: validate(op, createResolutionLinkSchema, req) }));
  }

  listResolutionLinks(accountID: string): Promise<MoovResponse<ResolutionLink[]>> {
    return this.#call('listResolutionLinks', { accountID });
  }

  getResolutionLink(accountID: string, code: string): Promise<MoovResponse<ResolutionLink>> {
    return this.#call('getResolutionLink', { accountID, code });
  }

  disableResolutionLink(accountID: string, code: string): Promise<MoovResponse<void>> {
    return this.#call('disableResolutionLink', { accountID, code });
  }

  shareConnection(accountID: string, req: ShareConnection): Promise<MoovResponse<void>> {
    return this.#call('shareConnection', { accountID }, (op) => ({ json: validate(op, shareConnectionSchema, req) }));
  }

  getPaymentLink(accountID: string, code: string): Promise<MoovResponse<PaymentLink>> {
    return this.#call('getPaymentLink', { accountID, code });
  }

  updatePaymentLink(accountID: string, code: string, update: UpdatePaymentLink): Promise<MoovResponse<PaymentLink>> {
    return this.#call('updatePaymentLink', { accountID, code }, (op) => ({ json: validate(op, updatePaymentLinkSchema, update) }));
  }

  listAccounts(query: ListAccountsQuery = {}): Promise<MoovResponse<Account[]>> {
    return this.#call('listAccounts', {}, (op) => ({ query: validate(op, listAccountsQuerySchema, query) }));
  }

  getAccount(accountID: string): Promise<MoovResponse<Account>> {
    return this.#call('getAccount', { accountID });
  }

  listCapabilities(accountID: string): Promise<MoovResponse<Capability[]>> {
    return this.#call('listCapabilities', { accountID });
  }

  /**
   * One operation of MOOV_OPERATIONS: its path parameters checked and encoded into the route, its
   * body built (and checked) inside the promise, so validation failures reject instead of throwing.
   */
  async #call<O extends MoovOperationName>(
    operation: O,
    params: Readonly<Record<string, string>>,
    body: (operation: O) => Pick<Call<unknown>, 'json' | 'query' | 'form' | 'multipart' | 'signal'> = () => ({}),
  ): Promise<MoovResponse<ResponseOf<O>>> {
    const spec: MoovOperation = MOOV_OPERATIONS[operation];
    const path = fillRoute(spec.route, (name) => segment(operation, name, params[name]));
    const call: Call<ResponseOf<O>> = {
      operation,
      method: spec.method,
      path,
      ...body(operation),
      response: spec.response as z.ZodType<ResponseOf<O>> | null,
      ...(spec.scopes && { scopes: spec.scopes.map((scope) => fillRoute(scope, (name) => params[name] ?? name)) }),
    };
    // Checked and built before it waits its turn: a bad request never spends the account's budget.
    const admission = this.#admit(call);
    let verdict: CallVerdict = 'unknown';
    // The pacer counts the request as on its way until it leaves (RequestPacer's Departure).
    let departure: Departure | undefined;
    const leave = () => departure?.sent();
    try {
      departure = await this.#pace(call, params.accountID);
      // undici never writes a request aborted while it waits for a connection (it rejects it only
      // once one frees), so it leaves now. A signal aborted already tells no new listener.
      call.signal?.addEventListener('abort', leave, { once: true });
      if (call.signal?.aborted) leave();
      const response = await this.#execute(departure ? { ...call, onSent: leave } : call);
      verdict = 'answered';
      return response;
    } catch (err) {
      verdict = verdictOf(err);
      throw err;
    } finally {
      call.signal?.removeEventListener('abort', leave);
      // Whatever happened, it is no longer on its way.
      leave();
      this.#availability?.settle(admission, verdict, params.accountID ?? '');
    }
  }

  /** Held back while the circuit breaker is open (src/moov/availability.ts): nothing is sent. */
  #admit(call: Call<unknown>): Admission {
    const admission: Admission = this.#availability?.admit() ?? { go: true, probe: false };
    if (!admission.go) throw heldBack(call.operation, admission.failingSince);
    return admission;
  }

  /**
   * Waits for the request's slot under Moov's limit (RequestPacer); an abort while waiting sends
   * nothing. The caller reports the request's leaving through the Departure (undefined: no pacer).
   */
  async #pace(call: Call<unknown>, accountID: string | undefined): Promise<Departure | undefined> {
    try {
      return await this.#pacer?.acquire(accountID, call.signal);
    } catch (err) {
      throw transportError(call.operation, err);
    }
  }

  /** One exchange, reported to the observer (if any) with its outcome and duration. */
  async #execute<T>(call: Call<T>): Promise<MoovResponse<T>> {
    if (!this.#onExchange) return this.#exchange(call);
    const startedAt = performance.now();
    try {
      const response = await this.#exchange(call);
      this.#observe(call, startedAt, { status: response.status, ...(response.requestId !== undefined && { requestId: response.requestId }) });
      return response;
    } catch (err) {
      if (err instanceof MoovError) {
        this.#observe(call, startedAt, {
          errorKind: err.kind,
          ...(err.status !== undefined && { status: err.status }),
          ...(err.requestId !== undefined && { requestId: err.requestId }),
          ...(err.retryAfterMs !== undefined && { retryAfterMs: err.retryAfterMs }),
        });
      }
      throw err;
    }
  }

  #observe(call: Call<unknown>, startedAt: number, outcome: Pick<MoovExchange, 'status' | 'requestId' | 'retryAfterMs' | 'errorKind'>): void {
    try {
      this.#onExchange?.({ operation: call.operation, method: call.method, route: routeOf(call.operation), durationMs: performance.now() - startedAt, ...outcome });
    } catch {
      // An observer's failure (metrics, logging) must never change the outcome of a Moov call.
    }
  }

  async #exchange<T>(call: Call<T>): Promise<MoovResponse<T>> {
    const res = await this.#transport.send(call);
    const { status, requestId } = res;
    if (status < 200 || status >= 300) {
      throw httpError({
        operation: call.operation,
        status,
        requestId,
        retryAfterMs: parseWaitHint(res.headers),
        bodyText: res.bodyText,
        ...(call.scopes && { requiredScopes: call.scopes }),
        ...(status === 404 && { notFound: notFoundSubject(call.path) }),
      });
    }
    if (call.response === null) return { data: undefined as T, status, requestId };
    let body: unknown;
    try {
      body = JSON.parse(res.bodyText);
    } catch {
      throw invalidResponse(call.operation, status, requestId, res.bodyText.trim() ? 'body is not JSON' : 'body is empty');
    }
    const parsed = call.response.safeParse(body);
    if (!parsed.success) throw invalidResponse(call.operation, status, requestId, formatIssues(parsed.error));
    return { data: parsed.data, status, requestId };
  }
}

/** We gave up on the call (an activity's cancellation, the worker shutting down): Moov said nothing. */
function wasAborted(err: MoovError): boolean {
  for (let cause: unknown = err.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause.name === 'AbortError' || (cause as { code?: unknown }).code === 'UND_ERR_ABORTED' || (cause as { code?: unknown }).code === 'ABORT_ERR') return true;
  }
  return false;
}

/** What a failed call says about Moov: down (the retry table's outage conditions), up (any other answer), or nothing. */
function verdictOf(err: unknown): CallVerdict {
  if (!(err instanceof MoovError) || err.kind === 'invalid-request' || err.kind === 'held-back' || wasAborted(err)) return 'unknown';
  return isOutageFailureType(MOOV_FAILURE_TYPES[err.condition]) ? 'down' : 'answered';
}

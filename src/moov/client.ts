import { inspect } from 'node:util';
import { FormData } from 'undici';
import type { z } from 'zod';
import { validateMoovConfig } from './config';
import type { MoovClientConfig } from './config';
import { MoovError, httpError, invalidRequest, invalidResponse, notFoundSubject } from './errors';
import { FileSourceError, openFileSource } from './file-source';
import { routeOf } from './observer';
import type { MoovClientOptions, MoovExchange, MoovExchangeObserver } from './observer';
import { accountListSchema, accountSchema, capabilityListSchema, listAccountsQuerySchema } from './schemas/accounts';
import type { Account, Capability, ListAccountsQuery } from './schemas/accounts';
import { formatIssues, pathParam, requiredErrorMap } from './schemas/common';
import { shareConnectionSchema } from './schemas/connections';
import type { ShareConnection } from './schemas/connections';
import { fileDetailsSchema, fileListSchema, uploadFileRequestSchema } from './schemas/files';
import type { FileDetails, UploadFileRequest } from './schemas/files';
import { paymentLinkSchema, updatePaymentLinkSchema } from './schemas/payment-links';
import type { PaymentLink, UpdatePaymentLink } from './schemas/payment-links';
import { createResolutionLinkSchema, resolutionLinkListSchema, resolutionLinkSchema } from './schemas/resolution-links';
import type { CreateResolutionLink, ResolutionLink } from './schemas/resolution-links';
import { Transport } from './transport';
import type { HttpMethod } from './transport';
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

interface Call<T> {
  operation: string;
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
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

const accountScope = (accountID: string, ...scopes: string[]): string[] => scopes.map((s) => `/accounts/${accountID}/${s}`);

/**
 * Typed Moov API client. Each method makes exactly one HTTP attempt and either returns the
 * validated body or throws MoovError with an errorClass for the caller's retry policy.
 * Input is validated before anything is sent, so an invalid-request error means no request left.
 */
export class MoovClient {
  readonly #transport: Transport;
  readonly #description: Record<string, unknown>;
  readonly #onExchange: MoovExchangeObserver | undefined;
  /** Its HTTP timeouts per undici phase: the worker checks that they fit the activities' Temporal timeouts. */
  readonly timeouts: Readonly<RequestTimeouts>;

  constructor(config: MoovClientConfig, options: MoovClientOptions = {}) {
    const safe = validateMoovConfig(config);
    this.#onExchange = options.onExchange;
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
    const account = segment(operation, 'accountID', accountID);
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
    return this.#execute({
      operation,
      method: 'POST',
      path: `/accounts/${account}/files`,
      form,
      ...(options.signal !== undefined && { signal: options.signal }),
      response: fileDetailsSchema,
      scopes: accountScope(accountID, 'files.write'),
    });
  }

  listFiles(accountID: string): Promise<MoovResponse<FileDetails[]>> {
    return this.#run('listFiles', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/files`,
      response: fileListSchema,
      scopes: accountScope(accountID, 'files.read'),
    }));
  }

  getFile(accountID: string, fileID: string): Promise<MoovResponse<FileDetails>> {
    return this.#run('getFile', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/files/${segment(op, 'fileID', fileID)}`,
      response: fileDetailsSchema,
      scopes: accountScope(accountID, 'files.read'),
    }));
  }

  createResolutionLink(accountID: string, req: CreateResolutionLink): Promise<MoovResponse<ResolutionLink>> {
    return this.#run('createResolutionLink', (op) => ({
      operation: op,
      method: 'POST',
      path: `/accounts/${segment(op, 'accountID', accountID)}/resolution-links`,
      json: validate(op, createResolutionLinkSchema, req),
      response: resolutionLinkSchema,
      // Seed 000 names all three.
      scopes: accountScope(accountID, 'profile.write', 'representatives.write', 'files.write'),
    }));
  }

  listResolutionLinks(accountID: string): Promise<MoovResponse<ResolutionLink[]>> {
    return this.#run('listResolutionLinks', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/resolution-links`,
      response: resolutionLinkListSchema,
      scopes: accountScope(accountID, 'profile.read'),
    }));
  }

  getResolutionLink(accountID: string, code: string): Promise<MoovResponse<ResolutionLink>> {
    return this.#run('getResolutionLink', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/resolution-links/${segment(op, 'code', code)}`,
      response: resolutionLinkSchema,
      scopes: accountScope(accountID, 'profile.read'),
    }));
  }

  disableResolutionLink(accountID: string, code: string): Promise<MoovResponse<void>> {
    return this.#run('disableResolutionLink', (op) => ({
      operation: op,
      method: 'DELETE',
      path: `/accounts/${segment(op, 'accountID', accountID)}/resolution-links/${segment(op, 'code', code)}`,
      response: null,
      scopes: accountScope(accountID, 'profile.write'),
    }));
  }

  shareConnection(accountID: string, req: ShareConnection): Promise<MoovResponse<void>> {
    return this.#run('shareConnection', (op) => ({
      operation: op,
      method: 'POST',
      path: `/accounts/${segment(op, 'accountID', accountID)}/connections`,
      json: validate(op, shareConnectionSchema, req),
      response: null,
    }));
  }

  getPaymentLink(accountID: string, code: string): Promise<MoovResponse<PaymentLink>> {
    return this.#run('getPaymentLink', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/payment-links/${segment(op, 'code', code)}`,
      response: paymentLinkSchema,
      scopes: accountScope(accountID, 'transfers.read'),
    }));
  }

  updatePaymentLink(accountID: string, code: string, update: UpdatePaymentLink): Promise<MoovResponse<PaymentLink>> {
    return this.#run('updatePaymentLink', (op) => ({
      operation: op,
      method: 'PATCH',
      path: `/accounts/${segment(op, 'accountID', accountID)}/payment-links/${segment(op, 'code', code)}`,
      json: validate(op, updatePaymentLinkSchema, update),
      response: paymentLinkSchema,
      scopes: accountScope(accountID, 'transfers.write'),
    }));
  }

  listAccounts(query: ListAccountsQuery = {}): Promise<MoovResponse<Account[]>> {
    return this.#run('listAccounts', (op) => ({
      operation: op,
      method: 'GET',
      path: '/accounts',
      query: validate(op, listAccountsQuerySchema, query),
      response: accountListSchema,
      scopes: ['/accounts.read'],
    }));
  }

  getAccount(accountID: string): Promise<MoovResponse<Account>> {
    return this.#run('getAccount', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}`,
      response: accountSchema,
      scopes: accountScope(accountID, 'profile.read'),
    }));
  }

  listCapabilities(accountID: string): Promise<MoovResponse<Capability[]>> {
    return this.#run('listCapabilities', (op) => ({
      operation: op,
      method: 'GET',
      path: `/accounts/${segment(op, 'accountID', accountID)}/capabilities`,
      response: capabilityListSchema,
      scopes: accountScope(accountID, 'capabilities.read'),
    }));
  }

  /** Builds the call inside the promise so validation failures reject instead of throwing synchronously. */
  async #run<T>(operation: string, build: (operation: string) => Call<T>): Promise<MoovResponse<T>> {
    return this.#execute(build(operation));
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

import { Readable } from 'node:stream';
import { Pool } from 'undici';
import type { Dispatcher, FormData } from 'undici';
import type { MultipartBody } from './multipart-body';
import { authorizationHeader } from './auth';
import type { MoovClientConfig } from './config';
import { transportError } from './errors';
import { ON_HEADERS_WRITTEN, noticeHeadersWritten, type NoticedRequestOptions } from './headers-written';
import { USER_AGENT } from './user-agent';
import type { HeaderBag } from './wait-hint';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  operation: string;
  method: HttpMethod;
  /** Already percent-encoded, starting with '/'. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  /** A multipart body built around a streamed file part (./multipart-body): its length is known in advance. */
  multipart?: MultipartBody;
  /** Aborts the exchange (e.g. the activity was cancelled or timed out): no answer is waited for. */
  signal?: AbortSignal;
  /**
   * Called when undici starts the request on a connection, just before it writes the headers;
   * never for a request that gets none (the caller settles those when the exchange ends).
   */
  onSent?: () => void;
}

export interface TransportResponse {
  status: number;
  headers: HeaderBag;
  requestId: string | undefined;
  bodyText: string;
}

/** Bounds memory for one response; Moov's largest bodies (account lists) are far below this. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * One HTTP exchange, no retries: undici's `request()` never retries, and nothing here loops.
 * Connection failures surface as MoovError (network/timeout); any HTTP status is returned for the
 * caller to classify, because only the caller knows which statuses mean success for its call.
 */
export class Transport {
  readonly #pool: Pool;
  /** The pool, telling each request's `onSent` when its headers go out (./headers-written). */
  readonly #dispatcher: Dispatcher.ComposedDispatcher;
  readonly #basePath: string;
  readonly #fixedHeaders: Record<string, string>;
  #closing: Promise<void> | undefined;

  constructor(config: MoovClientConfig) {
    const base = new URL(config.baseUrl);
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(base.origin, {
      connections: config.maxConnections,
      connectTimeout: config.connectTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      bodyTimeout: config.bodyTimeoutMs,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
    this.#dispatcher = this.#pool.compose(noticeHeadersWritten);
    this.#fixedHeaders = {
      authorization: authorizationHeader(config.auth),
      'x-moov-version': config.moovVersion,
      accept: 'application/json',
      'user-agent': USER_AGENT,
    };
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    const headers: Record<string, string> = { ...this.#fixedHeaders };
    let body: string | FormData | Readable | undefined;
    if (req.multipart !== undefined) {
      headers['content-type'] = req.multipart.contentType;
      headers['content-length'] = String(req.multipart.contentLength);
      body = Readable.from(req.multipart.body, { objectMode: false });
    } else if (req.form !== undefined) {
      // undici sets the multipart content-type with its boundary and streams the Blob parts.
      body = req.form;
    } else if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    }
    const query = req.query && Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== undefined));

    const options: Dispatcher.RequestOptions & NoticedRequestOptions = {
      method: req.method,
      path: this.#basePath + req.path,
      headers,
      ...(query && Object.keys(query).length > 0 && { query }),
      ...(body !== undefined && { body }),
      ...(req.signal !== undefined && { signal: req.signal }),
      ...(req.onSent && { [ON_HEADERS_WRITTEN]: req.onSent }),
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#dispatcher.request(options);
    } catch (err) {
      throw transportError(req.operation, err);
    }

    const responseHeaders = response.headers as HeaderBag;
    const requestId = headerValue(responseHeaders, 'x-request-id');
    let bodyText: string;
    try {
      // Reading to the end is what returns the socket to the pool, so every status is read.
      bodyText = await response.body.text();
    } catch (err) {
      response.body.destroy();
      throw transportError(req.operation, err, requestId);
    }
    return { status: response.statusCode, headers: responseHeaders, requestId, bodyText };
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.close();
    return this.#closing;
  }
}

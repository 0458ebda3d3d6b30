import type { Dispatcher } from 'undici';

/**
 * When undici starts a request on a connection, just before it writes the headers to the socket:
 * the moment Moov's per-second limit starts counting it. A request can wait inside undici after it
 * was handed over (a connection being opened, every connection of the pool busy), so handing it
 * over is not sending it.
 *
 * An interceptor (undici's `Dispatcher.compose`, github.com/nodejs/undici docs/docs/api/Dispatcher.md)
 * wraps each request's handler. undici calls `onRequestStart` once a connection is the request's,
 * just before it writes the headers (with a body, together with its first chunk, in the same turn
 * of the event loop); a request that waited in the pool's queue is seen then.
 */

/** The request option that carries the callback: a symbol, so it can never be a header or an option undici knows. */
export const ON_HEADERS_WRITTEN = Symbol('onHeadersWritten');

export interface NoticedRequestOptions {
  [ON_HEADERS_WRITTEN]?: () => void;
}

/** Calls the request's `[ON_HEADERS_WRITTEN]` as undici starts it on a connection, and passes everything on. */
export const noticeHeadersWritten: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const onWritten = (opts as NoticedRequestOptions)[ON_HEADERS_WRITTEN];
  return dispatch(opts, onWritten ? new NoticingHandler(handler, onWritten) : handler);
};

class NoticingHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #onWritten: () => void;

  constructor(inner: Dispatcher.DispatchHandler, onWritten: () => void) {
    this.#inner = inner;
    this.#onWritten = onWritten;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#onWritten();
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.#inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    this.#inner.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.#inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.#inner.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>): void {
    this.#inner.onResponseError?.(...args);
  }
}

import { subscribe } from 'node:diagnostics_channel';

/**
 * When undici writes a request's headers to the socket: the moment Moov's per-second limit starts
 * counting it. A request may wait inside undici after it was handed over (a connection being opened,
 * every connection of the pool busy), so the call is not the send.
 *
 * undici publishes both moments on its diagnostics channels (github.com/nodejs/undici,
 * docs/docs/api/DiagnosticsChannel.md): `undici:request:create` as it builds the request, which it
 * does inside `dispatch()` when a connection is free, and `undici:client:sendHeaders` as it writes
 * the headers. A request built later (it waited in the pool's queue) is not matched here: the
 * caller then treats it as written when its answer came, which is never earlier than the write.
 */

/** The callback of the dispatch in progress, waiting for the request undici builds inside it. */
let claimant: (() => void) | undefined;
/** Requests built inside a dispatch, until their headers are written. */
const awaitingHeaders = new WeakMap<object, () => void>();

interface ChannelMessage {
  request: object;
}

subscribe('undici:request:create', (message) => {
  if (claimant === undefined) return;
  awaitingHeaders.set((message as ChannelMessage).request, claimant);
  claimant = undefined;
});

subscribe('undici:client:sendHeaders', (message) => {
  const { request } = message as ChannelMessage;
  const onWritten = awaitingHeaders.get(request);
  if (onWritten === undefined) return;
  awaitingHeaders.delete(request);
  onWritten();
});

/**
 * Runs `dispatch` (one synchronous hand-over to undici, such as `pool.request(...)`) and calls
 * `onHeadersWritten` once, when undici writes that request's headers. Not called when the request
 * was not built inside `dispatch` or never reached the socket: the caller settles those itself.
 */
export function dispatchNoticingHeaders<T>(dispatch: () => T, onHeadersWritten: () => void): T {
  claimant = onHeadersWritten;
  try {
    return dispatch();
  } finally {
    claimant = undefined;
  }
}

import { httpError } from '../../../src/moov/errors';
import type { MoovError } from '../../../src/moov';

/** What Moov answers with an error status, built by the client's own constructor (src/moov/errors.ts). */
export function moovAnswer(operation: string, status: number, init: { requestId?: string; retryAfterMs?: number; body?: unknown } = {}): MoovError {
  return httpError({
    operation,
    status,
    requestId: init.requestId ?? `req-${status}`,
    retryAfterMs: init.retryAfterMs,
    bodyText: init.body === undefined ? '' : JSON.stringify(init.body),
  });
}

/** A stubbed call that fails as Moov would. */
export function rejectWith(err: MoovError): () => Promise<never> {
  return () => Promise.reject(err);
}

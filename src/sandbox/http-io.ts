import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the dispatcher decides whether it reaches the wire (faults may intervene). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers to answer with an error status and Moov-shaped body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body && 'error' in body ? String(body.error) : `HTTP ${status}`);
  }
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

/** Moov's `{"error": "..."}` shape (GenericError in the SDK). */
export function errorBody(message: string): { error: string } {
  return { error: message };
}

export function fail(status: number, message: string): HttpError {
  return new HttpError(status, errorBody(message));
}

export const MAX_JSON_BYTES = 1024 * 1024;

/** The whole body, refused with `tooLargeStatus` once it passes `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number, tooLargeStatus: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw fail(tooLargeStatus, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads and parses a JSON body. `undefined` for an empty body when allowed (admin endpoints whose
 * fields are all optional); otherwise 400 like Moov answers unparseable input.
 */
export async function readJsonBody(req: IncomingMessage, opts: { allowEmpty?: boolean } = {}): Promise<unknown> {
  const text = (await readBody(req, MAX_JSON_BYTES, 400)).toString('utf8').trim();
  if (text === '') {
    if (opts.allowEmpty) return undefined;
    throw fail(400, 'request body is required');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fail(400, 'request body is not valid JSON');
  }
}

export function writeReply(res: ServerResponse, r: Reply, requestId: string): void {
  const headers: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = value;
  let payload: Buffer | undefined;
  if (r.body !== undefined && r.status !== 204 && r.status !== 304) {
    payload = Buffer.from(typeof r.body === 'string' && headers['content-type'] ? r.body : JSON.stringify(r.body));
    headers['content-type'] ??= 'application/json';
  }
  // RFC 9110: a 204 or 304 carries no Content-Length.
  if (r.status !== 204 && r.status !== 304) headers['content-length'] = payload?.length ?? 0;
  // Set last so a fault's headers cannot remove it: every response carries x-request-id.
  headers['x-request-id'] = requestId;
  res.writeHead(r.status, headers);
  res.end(payload);
}

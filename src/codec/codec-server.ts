import type { Payload, PayloadCodec } from '@temporalio/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { payloadFromJSON, payloadToJSON } from './payload-json';

/**
 * Temporal's remote codec protocol, for the Web UI and the Temporal CLI: `POST …/encode` and
 * `POST …/decode` take `{"payloads": [...]}` (Payload protobuf as JSON: base64 `data` and metadata
 * values) and answer the same shape. Only the last path segment picks the operation, so the server
 * can be mounted at any depth. Every call needs the token; browsers get CORS for the listed origins.
 */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Accepted as `Authorization: Bearer <token>` or as the path segment before encode/decode. */
  token: string;
  /** Origins whose browsers may call the server; `*` allows any. */
  corsOrigins: readonly string[];
  host?: string;
  /** 0 = any free port. */
  port?: number;
  maxBodyBytes?: number;
}

export interface CodecServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A history's payloads can be up to 2 MB each, and the UI decodes several per request. */
const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const ALLOWED_HEADERS = 'content-type, authorization, x-namespace';

const bodySchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServerHandle> {
  const tokenDigest = digest(options.token);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowAnyOrigin = options.corsOrigins.includes('*');

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error';
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    });
  });

  function cors(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin) return;
    if (allowAnyOrigin) res.setHeader('Access-Control-Allow-Origin', '*');
    else if (options.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      // The UI's "Include cross-origin credentials" setting needs this (never with `*`).
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
  }

  function authorized(req: IncomingMessage, segments: string[]): boolean {
    const header = req.headers.authorization;
    const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (bearer !== undefined && matches(bearer)) return true;
    const pathToken = segments.at(-2);
    return pathToken !== undefined && matches(pathToken);
  }

  function matches(candidate: string): boolean {
    // Both sides hashed to 32 bytes: a constant-time compare that does not leak the length either.
    return timingSafeEqual(digest(candidate), tokenDigest);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      // Preflight: browsers send it without credentials, so it is answered without the token.
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    const segments = pathSegments(req.url ?? '/');
    const operation = segments.at(-1);
    if (operation === 'health' && segments.length === 1 && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (operation !== 'encode' && operation !== 'decode') throw new HttpError(404, 'not found: POST …/encode or …/decode');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      throw new HttpError(405, 'method not allowed: use POST');
    }
    if (!authorized(req, segments)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="codec-server"');
      throw new HttpError(401, 'missing or wrong token');
    }
    const payloads = parseBody(await readBody(req, maxBodyBytes));
    let result: Payload[];
    try {
      result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (err) {
      // The codec's messages name key ids, never keys.
      throw new HttpError(400, `${operation} failed: ${(err as Error).message}`);
    }
    sendJson(res, 200, { payloads: result.map((p) => payloadToJSON(p)) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function pathSegments(url: string): string[] {
  const pathname = url.split('?')[0] ?? '/';
  return pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

function parseBody(text: string): Payload[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'body must be {"payloads": [{"metadata": {…}, "data": "…"}]} (Payload protobuf JSON)');
  try {
    return parsed.data.payloads.map((p) => payloadFromJSON(p));
  } catch (err) {
    throw new HttpError(400, `body has a payload that is not Payload protobuf JSON: ${(err as Error).message}`);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `body is larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

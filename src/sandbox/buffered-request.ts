import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { readBody } from './http-io';

/** The largest body a held request keeps in memory: Moov's 10 MB upload plus multipart framing. */
const MAX_HELD_BODY_BYTES = 11 * 1024 * 1024;

/**
 * Reads the whole request now and returns a stand-in a handler can read later. Node destroys the
 * original request stream when the client closes the connection, and a Moov that has received a
 * request keeps processing it whether or not the client is still waiting.
 */
export async function bufferRequest(req: IncomingMessage): Promise<IncomingMessage> {
  const body = await readBody(req, MAX_HELD_BODY_BYTES, 413);
  const replay = Readable.from(body.length > 0 ? [body] : [], { objectMode: false });
  return Object.assign(replay, { headers: req.headers, method: req.method, url: req.url }) as unknown as IncomingMessage;
}

/** Resolves when the client closes the connection (its own timeout, or it gave up). */
export function closedByClient(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

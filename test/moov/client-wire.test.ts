import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoovClient } from '../../src/moov';
import type { MoovClientConfig } from '../../src/moov';
import { moovError, PDF_BYTES } from './support/harness';

/**
 * A bare HTTP server that records what arrives and answers as each test scripts it: for checking
 * exact bytes on the wire (headers, multipart parts) and for server behaviour the sandbox cannot
 * produce, such as headers followed by a stalled body.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let respond: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
let tmp: string;

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

function clientFor(overrides: Partial<MoovClientConfig> = {}): MoovClient {
  return new MoovClient({
    baseUrl,
    auth: { kind: 'basic', publicKey: 'pk_wire', secretKey: 'sk_wire' },
    moovVersion: 'v2026.04.00',
    connectTimeoutMs: 1000,
    headersTimeoutMs: 2000,
    bodyTimeoutMs: 2000,
    maxConnections: 2,
    ...overrides,
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'moov-wire-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      respond(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  seen = [];
});

const FILE = {
  fileID: 'ec7e1848-dc80-4ab0-8827-dd7fc0737b43',
  fileName: 'id.pdf',
  accountID: 'acc1',
  filePurpose: 'identity_verification',
  fileStatus: 'pending',
  metadata: '{}',
  fileSizeBytes: PDF_BYTES.length,
  createdOn: '2026-07-01T12:00:00Z',
  updatedOn: '2026-07-01T12:00:00Z',
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-wire-1', ...headers });
  res.end(payload);
}

it('sends the fixed headers on every call: auth, X-Moov-Version, Accept, User-Agent', async () => {
  respond = (_req, res) => json(res, 200, []);
  const client = clientFor();
  try {
    const result = await client.listFiles('acc1');
    expect(result.requestId).toBe('req-wire-1');
    expect(seen).toHaveLength(1);
    const headers = seen[0]?.headers ?? {};
    expect(headers.authorization).toBe(`Basic ${Buffer.from('pk_wire:sk_wire').toString('base64')}`);
    expect(headers['x-moov-version']).toBe('v2026.04.00');
    expect(headers.accept).toBe('application/json');
    expect(headers['user-agent']).toBe(`moov-remediation-worker/${VERSION}`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  } finally {
    await client.close();
  }
});

it('sends JSON bodies with a JSON content type and a Bearer header for token auth', async () => {
  respond = (_req, res) => {
    res.writeHead(201, { 'x-request-id': 'req-wire-2' });
    res.end();
  };
  const client = clientFor({ auth: { kind: 'bearer', accessToken: 'tok_wire' } });
  try {
    const result = await client.shareConnection('acc1', { principalAccountID: 'p1', allowScopes: ['files.read'] });
    expect(result).toEqual({ data: undefined, status: 201, requestId: 'req-wire-2' });
    expect(seen[0]?.headers.authorization).toBe('Bearer tok_wire');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body.toString('utf8') ?? '')).toEqual({ principalAccountID: 'p1', allowScopes: ['files.read'] });
  } finally {
    await client.close();
  }
});

it('uploads multipart with parts file (named, typed), filePurpose and metadata as a JSON string, with a known length', async () => {
  respond = (_req, res) => json(res, 200, FILE);
  const filePath = join(tmp, 'id.pdf');
  await writeFile(filePath, PDF_BYTES);
  const client = clientFor();
  try {
    await client.uploadFile('acc1', { filePath, filePurpose: 'identity_verification', metadata: { requirement_id: 'document.individual.verification' } });
    const req = seen[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/accounts/acc1/files');
    const contentType = req?.headers['content-type'] ?? '';
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    // A fixed length (no chunked encoding) shows undici sized the Blob parts without buffering them.
    expect(Number(req?.headers['content-length'])).toBe(req?.body.length);
    const text = req?.body.toString('latin1') ?? '';
    expect(text).toContain('Content-Disposition: form-data; name="file"; filename="id.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7');
    expect(text).toContain('Content-Disposition: form-data; name="filePurpose"\r\n\r\nidentity_verification\r\n');
    expect(text).toContain('Content-Disposition: form-data; name="metadata"\r\n\r\n{"requirement_id":"document.individual.verification"}\r\n');
  } finally {
    await client.close();
  }
});

it('a body that stalls after the headers is a retryable body timeout that keeps the request id', async () => {
  respond = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-stall', 'content-length': '1000' });
    res.write('{"fileID":');
    // Never ends: the client's bodyTimeoutMs must fire.
  };
  const client = clientFor({ bodyTimeoutMs: 150 });
  try {
    const err = await moovError(client.getFile('acc1', 'f1'));
    expect(err).toMatchObject({ kind: 'timeout', errorClass: 'retryable', code: 'UND_ERR_BODY_TIMEOUT', requestId: 'req-stall' });
    expect(err.message).toContain('reading the response body');
  } finally {
    await client.close();
  }
});

it('a 3xx is not followed and counts as a permanent failure', async () => {
  respond = (_req, res) => {
    res.writeHead(302, { location: 'https://elsewhere.example/', 'x-request-id': 'req-302' });
    res.end();
  };
  const client = clientFor();
  try {
    const err = await moovError(client.getAccount('acc1'));
    expect(err).toMatchObject({ kind: 'http', status: 302, errorClass: 'permanent', requestId: 'req-302' });
    expect(seen).toHaveLength(1);
  } finally {
    await client.close();
  }
});

it('a response without x-request-id still yields a result, with requestId undefined', async () => {
  respond = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  };
  const client = clientFor();
  try {
    await expect(client.listFiles('acc1')).resolves.toEqual({ data: [], status: 200, requestId: undefined });
  } finally {
    await client.close();
  }
});

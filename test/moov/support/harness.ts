import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoovClient, MoovError, validateMoovConfig } from '../../../src/moov';
import type { MoovClientConfig } from '../../../src/moov';
import { startSandbox } from '../../../src/sandbox';
import type { FaultRuleInput, RequestLogEntry, SandboxHandle, SandboxOptions } from '../../../src/sandbox';

/** Distinctive values so a leak is unmistakable in any string the tests inspect. */
export const PUBLIC_KEY = 'pk_test_HARNESS_PUBLIC_7e1';
export const SECRET_KEY = 'sk_test_HARNESS_SECRET_4c9';
export const ACCESS_TOKEN = 'tok_test_HARNESS_TOKEN_2b8';

export const PDF_BYTES = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
export const PNG_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);

export interface Harness {
  sandbox: SandboxHandle;
  client: MoovClient;
  config: MoovClientConfig;
  tmp: string;
  /** A client with other settings against the same sandbox; closed by `stop()`. */
  clientWith(overrides: Partial<MoovClientConfig>): MoovClient;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  addFault(rule: FaultRuleInput): Promise<void>;
  requests(filter?: { route?: string; accountID?: string }): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** A fresh merchant account; returns its ID. */
  merchant(seed?: Record<string, unknown>): Promise<string>;
  writeTemp(name: string, bytes: Buffer): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(opts: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({
    port: 0,
    // Off unless a test asks: bursts of setup calls must not trip it by accident.
    rateLimitRps: 0,
    credentials: { publicKey: PUBLIC_KEY, secretKey: SECRET_KEY },
    accessTokens: [ACCESS_TOKEN],
    ...opts,
  });
  const tmp = await mkdtemp(join(tmpdir(), 'moov-client-test-'));
  const config = validateMoovConfig({
    baseUrl: sandbox.url,
    auth: { kind: 'basic', publicKey: PUBLIC_KEY, secretKey: SECRET_KEY },
    moovVersion: 'v2026.04.00',
    connectTimeoutMs: 2000,
    headersTimeoutMs: 5000,
    bodyTimeoutMs: 5000,
    maxConnections: 4,
  });
  const clients = [new MoovClient(config)];

  async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    sandbox,
    client: clients[0] as MoovClient,
    config,
    tmp,
    clientWith(overrides) {
      const client = new MoovClient({ ...config, ...overrides });
      clients.push(client);
      return client;
    },
    admin,
    async addFault(rule) {
      await admin('POST', '/_sandbox/faults', rule);
    },
    requests(filter = {}) {
      const query = new URLSearchParams(filter as Record<string, string>).toString();
      return admin<RequestLogEntry[]>('GET', `/_sandbox/requests${query ? `?${query}` : ''}`);
    },
    async clearRequests() {
      await admin('DELETE', '/_sandbox/requests');
    },
    async merchant(seed = {}) {
      const account = await admin<{ accountID: string }>('POST', '/_sandbox/accounts', seed);
      return account.accountID;
    },
    async writeTemp(name, bytes) {
      const path = join(tmp, name);
      await writeFile(path, bytes);
      return path;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await sandbox.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Runs `call`, which must reject with a MoovError, and returns that error. */
export async function moovError(call: Promise<unknown>): Promise<MoovError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof MoovError) return err;
    throw err;
  }
  throw new Error('expected the call to fail with MoovError, but it succeeded');
}

import { startSandbox } from '../../../src/sandbox';
import type { SandboxHandle, SandboxOptions } from '../../../src/sandbox';

export const PUBLIC_KEY = 'sandbox-public-key';
export const SECRET_KEY = 'sandbox-secret-key';
export const BASIC = `Basic ${Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64')}`;

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  // Tests inspect arbitrary JSON shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallInit {
  body?: unknown;
  headers?: Record<string, string>;
  /** Authorization header value; BASIC by default, null for none. */
  auth?: string | null;
  /** The client's own deadline (e.g. AbortSignal.timeout): it gives up and closes the connection. */
  signal?: AbortSignal;
}

/** A sandbox on an ephemeral port plus small request helpers, closed after the suite. */
export class TestSandbox {
  private constructor(readonly handle: SandboxHandle) {}

  static async start(opts: SandboxOptions = {}): Promise<TestSandbox> {
    return new TestSandbox(await startSandbox({ rateLimitRps: 0, ...opts }));
  }

  get url(): string {
    return this.handle.url;
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** A Moov API call (authenticated with the default Basic credentials unless told otherwise). */
  async api(method: string, path: string, init: CallInit = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...init.headers };
    const auth = init.auth === undefined ? BASIC : init.auth;
    if (auth !== null) headers.authorization = auth;
    let body: string | FormData | undefined;
    if (init.body instanceof FormData) body = init.body;
    else if (typeof init.body === 'string') body = init.body;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    return toResult(await fetch(`${this.url}${path}`, { method, headers, body, ...(init.signal && { signal: init.signal }) }));
  }

  /** An admin (/_sandbox) call; throws unless it succeeded, so seeding mistakes fail loudly. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.adminRaw(method, path, body);
    if (res.status >= 300) throw new Error(`admin ${method} ${path} → ${res.status} ${res.text}`);
    return res.body;
  }

  async adminRaw(method: string, path: string, body?: unknown): Promise<HttpResult> {
    return toResult(
      await fetch(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  }

  async seedMerchant(seed: Record<string, unknown> = {}): Promise<string> {
    const account = await this.admin('POST', '/_sandbox/accounts', {
      accountType: 'business',
      displayName: 'Test Merchant LLC',
      email: 'merchant@example.com',
      ...seed,
    });
    return account.accountID as string;
  }

  async reset(): Promise<void> {
    await this.admin('POST', '/_sandbox/reset');
  }
}

export interface UseSandboxOptions {
  /** Options for TestSandbox.start. */
  start?: SandboxOptions;
  /** Seed a merchant before each test, after the reset: `true`, or the seed fields to use. */
  seedMerchant?: boolean | Record<string, unknown>;
}

/** What useSandbox sets up; read its properties inside hooks and tests, not when the suite is collected. */
export interface SandboxContext {
  /** The suite's sandbox, started before all tests and closed after them. */
  readonly sb: TestSandbox;
  /** The account ID of the merchant seeded before this test (only with `seedMerchant`). */
  readonly merchant: string;
}

/**
 * Registers the usual suite hooks: start a sandbox before all tests and close it after them, and
 * before each test reset it and (with `seedMerchant`) seed a fresh merchant. Call it at the top of a
 * describe block, before any beforeEach that relies on the reset or the merchant.
 */
export function useSandbox(opts: UseSandboxOptions = {}): SandboxContext {
  let sb: TestSandbox | undefined;
  let merchant: string | undefined;
  const ctx: SandboxContext = {
    get sb() {
      if (!sb) throw new Error('useSandbox: the sandbox is not started (read ctx.sb inside hooks and tests)');
      return sb;
    },
    get merchant() {
      if (merchant === undefined) throw new Error('useSandbox: no merchant seeded (pass seedMerchant; read ctx.merchant inside tests)');
      return merchant;
    },
  };
  beforeAll(async () => {
    sb = await TestSandbox.start(opts.start);
  });
  afterAll(() => sb?.close());
  beforeEach(async () => {
    await ctx.sb.reset();
    if (opts.seedMerchant) merchant = await ctx.sb.seedMerchant(opts.seedMerchant === true ? {} : opts.seedMerchant);
  });
  return ctx;
}

async function toResult(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: unknown = undefined;
  if (text && res.headers.get('content-type')?.startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body };
}

export const SAMPLES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1'),
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  ),
  jpeg: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
  csv: Buffer.from('name,share\nAda Lovelace,100\n'),
};

export function uploadForm(
  file: { name: string; bytes: Buffer } | undefined,
  fields: Record<string, string> = { filePurpose: 'business_verification' },
): FormData {
  const form = new FormData();
  if (file) form.append('file', new Blob([file.bytes]), file.name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

import { MoovClient, validateMoovConfig, type MoovClientConfig, type MoovClientOptions } from '../../src/moov';
import type { RequestTimeouts } from '../../src/moov/client';
import { DEFAULT_CREDENTIALS } from '../../src/sandbox';

/** The project's Moov client pointed at a sandbox with its demo credentials, as tests use it; `transport` overrides its timeouts and pool size. */
export function sandboxMoovClient(sandboxUrl: string, transport: Partial<RequestTimeouts & Pick<MoovClientConfig, 'maxConnections'>> = {}, options: MoovClientOptions = {}): MoovClient {
  return new MoovClient(
    validateMoovConfig({
      baseUrl: sandboxUrl,
      auth: { kind: 'basic', publicKey: DEFAULT_CREDENTIALS.publicKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
      moovVersion: 'v2026.04.00',
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      maxConnections: 8,
      ...transport,
    }),
    options,
  );
}

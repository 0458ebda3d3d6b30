import { MoovClient, validateMoovConfig, type MoovClientConfig, type MoovClientOptions } from '../../src/moov';
import type { RequestTimeouts } from '../../src/moov/client';
import { DEFAULT_CREDENTIALS } from '../../src/sandbox';

/** What tests may override of the client's transport: its timeouts and pool size. */
export type SandboxTransportOverrides = Partial<RequestTimeouts & Pick<MoovClientConfig, 'maxConnections'>>;

/** The Moov client configuration for a sandbox with its demo credentials, as tests use it. */
export function sandboxMoovConfig(sandboxUrl: string, transport: SandboxTransportOverrides = {}): MoovClientConfig {
  return validateMoovConfig({
    baseUrl: sandboxUrl,
    auth: { kind: 'basic', publicKey: DEFAULT_CREDENTIALS.publicKey, secretKey: DEFAULT_CREDENTIALS.secretKey },
    moovVersion: 'v2026.04.00',
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
    maxConnections: 8,
    ...transport,
  });
}

/** The project's Moov client pointed at a sandbox (sandboxMoovConfig). */
export function sandboxMoovClient(sandboxUrl: string, transport: SandboxTransportOverrides = {}, options: MoovClientOptions = {}): MoovClient {
  return new MoovClient(sandboxMoovConfig(sandboxUrl, transport), options);
}

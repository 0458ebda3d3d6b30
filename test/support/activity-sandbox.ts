import { rm } from 'node:fs/promises';
import type { MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { makeFilesRoot } from './demo-files';
import { SandboxAdmin } from './sandbox-admin';
import { sandboxMoovClient } from './sandbox-moov-client';

/** What an activity-tier test (MockActivityEnvironment) needs: the sandbox, its admin, a client and a FILES_ROOT. */
export interface ActivitySandbox {
  sandbox: SandboxHandle;
  admin: SandboxAdmin;
  moov: MoovClient;
  filesRoot: string;
}

/** One sandbox per test file, started before its tests and closed after them. */
export function useActivitySandbox(): () => ActivitySandbox {
  let current: ActivitySandbox | undefined;
  beforeAll(async () => {
    const [sandbox, filesRoot] = await Promise.all([startSandbox({ rateLimitRps: 0 }), makeFilesRoot()]);
    current = { sandbox, filesRoot, admin: new SandboxAdmin(sandbox.url), moov: sandboxMoovClient(sandbox.url) };
  });
  afterAll(async () => {
    await current?.moov.close();
    await current?.sandbox.close();
    if (current) await rm(current.filesRoot, { recursive: true, force: true });
  });
  return () => current!;
}

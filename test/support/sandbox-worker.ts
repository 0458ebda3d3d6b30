import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';
import { createRemediationWorker, type RemediationWorkerOptions } from '../../src/worker';

/**
 * The project's worker on a test server's connection, in the `default` namespace, knowing the
 * sandbox's partner ID: what the server-backed tests start, each with its own queue and settings.
 */
export function sandboxWorker(
  env: TestWorkflowEnvironment,
  options: Omit<RemediationWorkerOptions, 'connection' | 'namespace'>,
): Promise<Worker> {
  return createRemediationWorker({ connection: env.nativeConnection, namespace: 'default', partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID, ...options });
}

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { ensureServers } from '../../src/temporal-servers/install';
import { toSdkExecutable } from '../../src/temporal-servers/sdk-executable';

/** Time-skipping test server, found the same way as everywhere else (see src/temporal-servers). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { 'test-server': exe } = await ensureServers(['test-server']);
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: toSdkExecutable(exe) } });
}

/** Real Temporal dev server (SQLite in memory) with the project's search attributes registered. */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  const { 'dev-server': exe } = await ensureServers(['dev-server']);
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: toSdkExecutable(exe),
      searchAttributes: [...SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
    },
  });
}

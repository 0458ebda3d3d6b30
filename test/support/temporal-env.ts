import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { ensureServers } from '../../src/temporal-servers/install';
import { toSdkExecutable } from '../../src/temporal-servers/sdk-executable';

/** Time-skipping test server, found the same way as everywhere else (see src/temporal-servers). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { 'test-server': exe } = await ensureServers(['test-server']);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: toSdkExecutable(exe) } });
  // The test server has no start-up flag for custom search attributes; register them as an operator would.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return env;
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

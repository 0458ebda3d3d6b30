import { encodeSearchAttributeIndexedValueType, type SearchAttributeKey, type SearchAttributeType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../src/domain/search-attributes';
import { dynamicConfigArgs } from '../../src/temporal-servers/dev-server';
import { ensureServers } from '../../src/temporal-servers/install';
import { toSdkExecutable } from '../../src/temporal-servers/sdk-executable';

/** Time-skipping test server, found the same way as everywhere else (see src/temporal-servers). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { 'test-server': exe } = await ensureServers(['test-server']);
  const env = await withStartRetries(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: toSdkExecutable(exe) } }));
  // The test server has no start-up flag for custom search attributes; register them as an operator
  // would, each with its own type (a Datetime registered as Keyword would refuse the workflow's Date).
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
  });
  return env;
}

/**
 * Real Temporal dev server (SQLite in memory) with the project's search attributes registered;
 * `searchAttributes` registers only those (a namespace set up before one of them existed). Its
 * dynamic config is npm start's (fairness on, one partition per task queue: FAIRNESS_DYNAMIC_CONFIG).
 */
export async function createDevServerEnv(searchAttributes: readonly SearchAttributeKey<SearchAttributeType>[] = SEARCH_ATTRIBUTES): Promise<TestWorkflowEnvironment> {
  const { 'dev-server': exe } = await ensureServers(['dev-server']);
  const start = () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: toSdkExecutable(exe),
        searchAttributes: [...searchAttributes],
        extraArgs: dynamicConfigArgs(),
        log: { format: 'pretty', level: 'error' },
      },
    });
  return withStartRetries(start);
}

/** Starts of a server the SDK allows before the error is the test's. */
const SERVER_START_ATTEMPTS = 3;

/**
 * The SDK gives a server 5 s to listen, with no option to change it; a cold start of the 150 MB
 * dev server beside another server starting took 4.8 s here, and the time-skipping server missed
 * it twice in a row on a busy machine. A start that timed out is tried again; any other error is final.
 */
async function withStartRetries(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= SERVER_START_ATTEMPTS || !/did not start within/.test((err as Error).message)) throw err;
    }
  }
}

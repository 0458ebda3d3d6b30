import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

/**
 * Runs one activity function in a mocked activity context: no worker, no server
 * (docs.temporal.io/develop/typescript/best-practices/testing-suite, "Testing Activities"). `attempt` is what
 * Context.current().info.attempt reports, for activities that pace their retries by it.
 */
export function runActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, args: A, info: Partial<Info> = {}): Promise<R> {
  // Quiet: several activities log a warning on the branches these tests take on purpose.
  return new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') }).run(fn, ...args);
}

import { ensureServers } from '../../src/temporal-servers/install';
import { SERVER_KINDS } from '../../src/temporal-servers/locate';

/**
 * Runs once before all suites: finds or installs both Temporal servers so that a fresh clone's
 * `npm test` needs nothing by hand. Paths go into env vars, which the test workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const servers = await ensureServers(['dev-server', 'test-server'], (line) => console.log(`[temporal] ${line}`));
  for (const [kind, exe] of Object.entries(servers) as [keyof typeof SERVER_KINDS, (typeof servers)['dev-server']][]) {
    if (exe.source !== 'sdk-download') process.env[SERVER_KINDS[kind].envVar] = exe.path;
  }
}

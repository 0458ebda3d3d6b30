import { ensureServers } from '../../src/temporal-servers/install';
import { SERVER_KINDS } from '../../src/temporal-servers/locate';
import { PROJECT_TOOLS, ensureProjectTool } from '../../src/temporal-servers/project-tools';

/**
 * Runs once before all suites: finds or installs both Temporal servers so that a fresh clone's
 * `npm test` needs nothing by hand. Paths go into env vars, which the test workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const servers = await ensureServers(['dev-server', 'test-server'], (line) => console.log(`[temporal] ${line}`));
  for (const [kind, exe] of Object.entries(servers) as [keyof typeof SERVER_KINDS, (typeof servers)['dev-server']][]) {
    if (exe.source !== 'sdk-download') process.env[SERVER_KINDS[kind].envVar] = exe.path;
  }
  // The S3 protocol server of the document-source tests (test/support/s3-server.ts), from PyPI the same way.
  process.env[PROJECT_TOOLS['moto-server'].envVar] = await ensureProjectTool('moto-server', (line) => console.log(`[moto] ${line}`));
}

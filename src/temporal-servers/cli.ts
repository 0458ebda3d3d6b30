import { ensureServers } from './install';

/** `npm run temporal:install`: makes sure both Temporal servers are available and says where. */
async function main(): Promise<void> {
  const servers = await ensureServers(['dev-server', 'test-server'], (line) => console.log(line));
  for (const [kind, exe] of Object.entries(servers)) {
    console.log(`${kind}: ${exe.source === 'sdk-download' ? "the SDK's download" : `${exe.path} (${exe.source})`}`);
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});

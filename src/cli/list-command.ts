import { type Command, Option } from 'commander';
import { listRemediations, type RemediationListEntry, type RemediationListFilter } from '../client';
import { clientConfigFromEnv } from '../config/client-config';
import { REMEDIATION_PHASES, type RemediationPhase } from '../domain/remediation-status';
import { positiveInt } from './flags';
import { formatRemediationList } from './format';
import type { CliIO, WithClient } from './io';

interface ListFlags {
  phase?: RemediationPhase;
  account?: string;
  pageSize?: string;
  json?: boolean;
}

/** `list`: remediations from Temporal's visibility, running and closed, every page of them. */
export function addListCommand(program: Command, io: CliIO, withClient: WithClient): void {
  program
    .command('list')
    .description('list remediations, running and closed, from Temporal visibility (running first, then newest closed)')
    // Commander refuses any other value with exit 2 and lists these, before anything connects.
    .addOption(new Option('--phase <phase>', 'only remediations in this phase (RemediationPhase)').choices(REMEDIATION_PHASES))
    .option('--account <id>', "only this Moov account's remediations (MoovAccountID)")
    .option('--page-size <n>', "remediations per visibility page (default: the server's, typically 1,000); every page is read")
    .option('--json', 'print a JSON array of objects')
    .action(async (flags: ListFlags) => {
      const pageSize = positiveInt('--page-size', flags.pageSize);
      const filter: RemediationListFilter = {
        ...(flags.phase !== undefined && { phase: flags.phase }),
        ...(flags.account !== undefined && { account: flags.account }),
        ...(pageSize !== undefined && { pageSize }),
      };
      await withClient(clientConfigFromEnv(), async (client) => {
        const entries: RemediationListEntry[] = [];
        for await (const entry of listRemediations(client, filter)) entries.push(entry);
        io.out(flags.json ? `${JSON.stringify(entries, null, 2)}\n` : `${formatRemediationList(entries)}\n`);
      });
    });
}

import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import {
  cancelRemediation,
  connectClient,
  failureMessage,
  getRemediationStatus,
  markRemediationResolved,
  replaceActiveLink,
  startRemediation,
  toWorkflowId,
  validateRemediationInput,
  waitForRemediation,
} from '../client';
import { clientConfigFromEnv, type ClientConfig } from '../config/client-config';
import { describeTemporalConnection } from '../config/temporal-connection';
import type { TemporalConnectionConfig } from '../config/worker-config';
import type { WorkItemAnswer } from '../domain/added-work';
import type { RemediationStatus } from '../domain/remediation-status';
import { APPLICATION_SCOPES, FILE_PURPOSES } from '../moov';
import { formatStatus, formatWorkAnswers, progressLine } from './format';
import type { CliIO } from './io';
import { addListCommand } from './list-command';
import { buildStartInput, type StartFlags } from './start-input';
import { addSweepCommands } from './sweep-commands';

interface JsonFlag {
  json?: boolean;
}


/** Exit codes: 0 done, 1 the remediation (or Temporal) failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * The operator CLI. Every command checks its arguments and the environment before connecting to
 * Temporal, so a mistake never starts (or half-starts) anything.
 */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command()
    .name('npm run cli --')
    .description('Operate Moov merchant remediations running on Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('start')
    .description("start an account's remediation, or add this work to the one already running for it (answered per item)")
    .option('--account <id>', 'Moov account ID of the merchant')
    .addOption(new Option('--email <email>', 'send the resolution link to this email').conflicts('phone'))
    .option('--phone <number>', 'send the resolution link by SMS to this number (up to 10 digits)')
    .option('--country-code <digit>', 'country code for --phone (one digit, e.g. 1)')
    .option(
      '--file <path:purpose[:requirementId]>',
      `upload a file below the worker's FILES_ROOT; purpose one of ${FILE_PURPOSES.join(', ')} (repeatable)`,
      collect,
    )
    .option('--auto-files', "upload the catalog's documents that satisfy the account's open requirements (files: \"auto\"; catalog.json beside them)")
    .option('--principal <accountId>', 'share the account connection with this principal account')
    .option('--scope <scope>', `limit the connection to this scope, e.g. ${APPLICATION_SCOPES[0]} (repeatable; default all)`, collect)
    .option('--input <file.json>', 'read the workflow input from a JSON file; flags override or extend it')
    .option('--wait', 'wait for the outcome, printing progress; exit 0 when completed or resolved, 1 otherwise (follow-through can take days)')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: StartFlags & JsonFlag & { wait?: boolean }) => {
      const input = validateRemediationInput(await buildStartInput(flags));
      const config = clientConfigFromEnv();
      await withClient(config, async (client) => {
        const started = await startRemediation(client, input, { taskQueue: config.temporal.taskQueue });
        const summary = { workflowId: started.workflowId, runId: started.runId, started: started.started, items: started.items };
        // A refused item is work the caller asked for and will not get: the command did not fully succeed.
        if (started.items.some((item) => item.outcome === 'refused')) setExitCode(EXIT.failed);
        if (!flags.wait) {
          io.out(flags.json ? `${JSON.stringify(summary)}\n` : describeStart(summary, config.temporal));
          return;
        }
        // With --json, stdout carries only the final JSON; progress goes to stderr.
        const progress = flags.json ? io.err : io.out;
        if (!flags.json) progress(describeStart(summary, config.temporal));
        try {
          const status = await waitForRemediation(client, started.workflowId, { onPhase: (s) => progress(`${progressLine(s)}\n`) });
          io.out(flags.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
          // `unresolved` ends the workflow normally, yet the merchant is still stuck: not a success.
          if (status.phase === 'unresolved') {
            io.err(`Remediation ${started.workflowId} ended unresolved: ${status.followThrough?.outcome?.reasons.join('; ') ?? 'requirements remain'}\n`);
            setExitCode(EXIT.failed);
          }
        } catch (err) {
          const message = failureMessage(err);
          if (flags.json) io.out(`${JSON.stringify((await finalStatus(client, started.workflowId)) ?? { ...summary, error: message }, null, 2)}\n`);
          io.err(`Remediation ${started.workflowId} did not complete: ${message}\n`);
          setExitCode(EXIT.failed);
        }
      });
    });

  program
    .command('status')
    .description('show what a remediation has done and what it is waiting for')
    .argument('<id>', 'Moov account ID or workflow id (remediation-<accountID>)')
    .option('--json', 'print the status as JSON')
    .action(async (id: string, flags: JsonFlag) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        const status = await getRemediationStatus(client, id);
        io.out(flags.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
      });
    });

  program
    .command('replace-link')
    .description("disable another party's active resolution link that the remediation waits for, and create ours")
    .argument('<id>', 'Moov account ID or workflow id')
    .option('--reason <text>', 'why, recorded in the workflow history')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, flags: JsonFlag & { reason?: string }) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        const result = await replaceActiveLink(client, id, flags.reason);
        io.out(
          flags.json
            ? `${JSON.stringify({ workflowId: toWorkflowId(id), ...result })}\n`
            : `Disabled resolution link ${result.disabledLinkCode}; ${toWorkflowId(id)} now creates its own link.\n`,
        );
      });
    });

  program
    .command('mark-resolved')
    .description('end follow-through as resolved: you know the merchant\'s requirements are handled')
    .argument('<id>', 'Moov account ID or workflow id')
    .option('--note <text>', 'why, kept in the outcome')
    .option('--json', 'print the final status as JSON')
    .action(async (id: string, flags: JsonFlag & { note?: string }) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        const status = await markRemediationResolved(client, id, flags.note);
        io.out(flags.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
      });
    });

  program
    .command('cancel')
    .description('cancel a running remediation (it records phase "cancelled" and stops)')
    .argument('<id>', 'Moov account ID or workflow id')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, flags: JsonFlag) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        await cancelRemediation(client, id);
        io.out(
          flags.json
            ? `${JSON.stringify({ workflowId: toWorkflowId(id), cancelRequested: true })}\n`
            : `Cancellation requested for ${toWorkflowId(id)}.\n`,
        );
      });
    });

  addListCommand(program, io, withClient);
  addSweepCommands(program, io, withClient);
  return program;
}

function describeStart(summary: { workflowId: string; runId: string; started: boolean; items: WorkItemAnswer[] }, config: TemporalConnectionConfig): string {
  const how = summary.started ? `started on task queue ${config.taskQueue}` : 'already running for this account: the items below went to it';
  return `workflowId: ${summary.workflowId}\nrunId:      ${summary.runId}\nstarted:    ${summary.started} (${how})\n${formatWorkAnswers(summary.items)}`;
}

async function finalStatus(client: Client, workflowId: string): Promise<RemediationStatus | undefined> {
  try {
    return await getRemediationStatus(client, workflowId);
  } catch {
    return undefined;
  }
}

/** `config` is read before this is called (clientConfigFromEnv), so only a failed connection is reported as one. */
export async function withClient(config: ClientConfig, use: (client: Client) => Promise<void>): Promise<void> {
  let client: Client;
  try {
    // `{}`: plaintext, as configured (connectClient would otherwise read the codec keys itself).
    client = await connectClient(config.temporal, config.dataConverter ?? {});
  } catch (err) {
    throw new Error(`cannot connect to Temporal at ${describeTemporalConnection(config.temporal)} (TEMPORAL_ADDRESS or the profile's address): ${(err as Error).message}`);
  }
  try {
    await use(client);
  } finally {
    await client.connection.close();
  }
}

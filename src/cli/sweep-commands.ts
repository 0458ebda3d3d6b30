import { type Command, Option } from 'commander';
import { clientConfigFromEnv } from '../config/client-config';
import type { SweepInput, SweepSummary } from '../domain/sweep-input';
import { APPLICATION_SCOPES, type ApplicationScope } from '../moov';
import { createSweepSchedule, DEFAULT_SCHEDULE_ID, runSweep, sweepSchedule, type SweepCadence } from '../sweep-client';
import { positiveInt } from './flags';
import type { CliIO, WithClient } from './io';
import { UsageError } from './start-input';

interface SweepFlags {
  principal?: string;
  scope?: string[];
  capability?: string;
  capabilityStatus?: string;
  pageSize?: string;
  maxStarts?: string;
  cooldown?: string;
  noLink?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The sweep's input from flags; validated by the sweep client before anything starts. */
function sweepInputFromFlags(flags: SweepFlags & { dryRun?: boolean }): SweepInput {
  const pageSize = positiveInt('--page-size', flags.pageSize);
  const maxStartsPerRun = positiveInt('--max-starts', flags.maxStarts);
  return {
    ...((flags.capability || flags.capabilityStatus) && {
      filters: { ...(flags.capability && { capability: flags.capability }), ...(flags.capabilityStatus && { capabilityStatus: flags.capabilityStatus }) },
    }),
    remediation: {
      ...(flags.noLink && { sendResolutionLink: false }),
      ...(flags.principal && {
        connection: { principalAccountID: flags.principal, ...(flags.scope?.length && { allowScopes: flags.scope as ApplicationScope[] }) },
      }),
    },
    ...(pageSize !== undefined && { pageSize }),
    ...(maxStartsPerRun !== undefined && { maxStartsPerRun }),
    ...(flags.cooldown !== undefined && { closedCooldown: flags.cooldown }),
    ...(flags.dryRun && { dryRun: true }),
  };
}

function withSweepOptions(command: Command): Command {
  return command
    .option('--principal <accountId>', 'share each selected account\'s connection with this principal')
    .option('--scope <scope>', `limit the connection to this scope, e.g. ${APPLICATION_SCOPES[0]} (repeatable)`, collect)
    .option('--capability <name>', 'only accounts with this capability (GET /accounts filter)')
    .option('--capability-status <status>', 'only accounts whose capability has this status')
    .option('--page-size <n>', 'accounts per page (default 100)')
    .option('--max-starts <n>', 'start at most this many remediations per sweep')
    .option('--cooldown <duration>', 'skip accounts whose remediation closed less than this ago (default "7 days")')
    .option('--no-link', 'do not send resolution links')
    .option('--json', 'print machine-readable JSON');
}

function formatSummary(summary: SweepSummary): string {
  const skipped = Object.entries(summary.skipped).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
  const lines = [
    `${summary.dryRun ? 'Dry run: ' : ''}scanned ${summary.scanned}, selected ${summary.selected}, started ${summary.started}, already running ${summary.alreadyRunning}`,
    `skipped: ${skipped}`,
    `pages: ${summary.pages} in ${summary.runs} run(s)${summary.stoppedAt === 'max-starts' ? '; stopped at --max-starts' : ''}`,
  ];
  for (const candidate of summary.wouldStart ?? []) lines.push(`would start ${candidate.accountID}: ${candidate.reasons.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** `sweep run` and `sweep schedule …`: remediation sweeps, now or on a Temporal Schedule. */
export function addSweepCommands(program: Command, io: CliIO, withClient: WithClient): void {
  const sweep = program.command('sweep').description('find merchants stuck in verification and start their remediations');

  withSweepOptions(sweep.command('run').description('run one sweep now'))
    .option('--dry-run', 'list what it would start and start nothing')
    .option('--wait', 'wait for the sweep and print its summary')
    .action(async (flags: SweepFlags & { dryRun?: boolean; wait?: boolean }) => {
      const input = sweepInputFromFlags(flags);
      const config = clientConfigFromEnv();
      await withClient(config, async (client) => {
        const handle = await runSweep(client, input, { taskQueue: config.temporal.taskQueue });
        if (!flags.wait) {
          io.out(flags.json ? `${JSON.stringify({ workflowId: handle.workflowId })}\n` : `Sweep started: ${handle.workflowId}\n`);
          return;
        }
        const summary = await handle.result();
        io.out(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      });
    });

  const schedule = sweep.command('schedule').description(`manage the sweep's Temporal Schedule (id ${DEFAULT_SCHEDULE_ID})`);
  withSweepOptions(schedule.command('create').description('create the schedule (overlap policy SKIP)'))
    .addOption(new Option('--every <interval>', 'run every interval, e.g. 6h').conflicts('cron'))
    .option('--cron <expression>', 'run on a cron expression, e.g. "0 */6 * * *"')
    .option('--schedule-id <id>', 'schedule id', DEFAULT_SCHEDULE_ID)
    .action(async (flags: SweepFlags & { every?: string; cron?: string; scheduleId: string }) => {
      if (!flags.every && !flags.cron) throw new UsageError('give --every <interval> or --cron <expression>');
      const cadence: SweepCadence = flags.every ? { every: flags.every } : { cron: flags.cron! };
      const input = sweepInputFromFlags(flags);
      const config = clientConfigFromEnv();
      await withClient(config, async (client) => {
        const id = await createSweepSchedule(client, { cadence, input, scheduleId: flags.scheduleId, taskQueue: config.temporal.taskQueue });
        io.out(flags.json ? `${JSON.stringify({ scheduleId: id })}\n` : `Schedule ${id} created.\n`);
      });
    });

  const simple: [name: 'pause' | 'unpause' | 'trigger' | 'delete', description: string][] = [
    ['pause', 'pause the schedule (no sweeps until unpaused)'],
    ['unpause', 'resume the schedule'],
    ['trigger', 'run a sweep now (skipped if the last one is still running)'],
    ['delete', 'delete the schedule (running sweeps and remediations continue)'],
  ];
  for (const [name, description] of simple) {
    const command = schedule.command(name).description(description).option('--schedule-id <id>', 'schedule id', DEFAULT_SCHEDULE_ID);
    if (name === 'pause' || name === 'unpause') command.option('--note <text>', 'why, shown on the schedule');
    command.action(async (flags: { scheduleId: string; note?: string }) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        const handle = sweepSchedule(client, flags.scheduleId);
        if (name === 'pause' || name === 'unpause') await handle[name](flags.note);
        else await handle[name]();
        io.out(`Schedule ${flags.scheduleId}: ${name} done.\n`);
      });
    });
  }

  schedule
    .command('describe')
    .description('show the schedule: spec, state, recent and next runs')
    .option('--schedule-id <id>', 'schedule id', DEFAULT_SCHEDULE_ID)
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: { scheduleId: string; json?: boolean }) => {
      await withClient(clientConfigFromEnv(), async (client) => {
        const d = await sweepSchedule(client, flags.scheduleId).describe();
        const view = {
          scheduleId: d.scheduleId,
          paused: d.state.paused,
          note: d.state.note,
          overlap: d.policies.overlap,
          intervals: d.spec.intervals,
          calendars: d.spec.calendars,
          recentActions: d.info.recentActions.map((a) => ({ at: a.takenAt, workflowId: a.action.workflow.workflowId })),
          nextActionTimes: d.info.nextActionTimes,
        };
        io.out(flags.json ? `${JSON.stringify(view, null, 2)}\n` : `${Object.entries(view).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}\n`);
      });
    });
}

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { SweepSummary } from '../../../src/domain/sweep-input';
import { remediationWorkflowId } from '../../../src/domain/workflow-ids';
import { createSweepSchedule, sweepSchedule } from '../../../src/sweep-client';
import { mapBounded } from '../../../src/workflows/bounded-parallel';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow-harness';

/**
 * Sweeps at fleet scale (issue "The right outcome…"): a Temporal Schedule on the real dev server
 * sweeps a seeded fleet for several ticks, and the run checks Moov's side (the sandbox's final
 * state) account by account. The fleet mixes accounts with requirement errors, accounts with
 * items currently due only, accounts Moov refuses (403, 404), accounts whose remediation closed
 * before the schedule existed, and clean ones. Between ticks Moov's clock moves ahead by days:
 * the cooldown is Temporal's, so closed remediations stay skipped.
 */
export interface FleetOptions {
  accounts: number;
  ticks: number;
  /** maxStartsPerRun of the schedule's sweep: a tick starts at most this many. */
  maxStartsPerTick: number;
  log?: (line: string) => void;
}

type Kind = 'errors' | 'due-only' | 'refused-403' | 'refused-404' | 'closed-before' | 'clean';

/** Shares of the fleet, in tenths. */
const MIX: [Kind, number][] = [
  ['errors', 4],
  ['due-only', 2],
  ['refused-403', 1],
  ['refused-404', 1],
  ['closed-before', 1],
  ['clean', 1],
];

const DAY = 24 * 3600_000;
const CAPABILITIES = 'GET /accounts/:accountID/capabilities';
const CREATE_LINK = 'POST /accounts/:accountID/resolution-links';

export interface TickReport {
  tick: number;
  summary: SweepSummary;
}

export interface FleetReport {
  accounts: number;
  byKind: Record<Kind, number>;
  ticks: TickReport[];
  /** Accounts whose remediation a sweep started, over all ticks. */
  started: number;
  linksPerMerchantMax: number;
  linkCreates: number;
  capabilityReads: number;
  /** The largest history of any workflow run (sweep runs and remediations). */
  largestHistory: { events: number; workflowId: string };
  problems: string[];
  wallTimeMs: number;
}

interface Seeded {
  accountID: string;
  kind: Kind;
  recipient: string;
}

export async function runFleetSweep(options: FleetOptions): Promise<FleetReport> {
  const log = options.log ?? (() => {});
  const began = Date.now();
  const h = await startWorkflowHarness('dev');
  try {
    const fleet = await seedFleet(h, options.accounts);
    log(`seeded ${fleet.length} accounts`);
    await closeOneRemediationEach(h, fleet.filter((a) => a.kind === 'closed-before'));
    log('closed-before accounts each have one finished remediation');

    const scheduleId = `remediation-sweep-fleet-${randomUUID()}`;
    await createSweepSchedule(h.env.client, {
      scheduleId,
      cadence: { every: '6h' },
      taskQueue: h.taskQueue,
      input: { remediation: { options: { followThrough: false } }, maxStartsPerRun: options.maxStartsPerTick, pageSize: 100 },
    });
    const schedule = sweepSchedule(h.env.client, scheduleId);
    const ticks: TickReport[] = [];
    const sweepRuns: { workflowId: string; runId: string }[] = [];
    try {
      for (let tick = 1; tick <= options.ticks; tick++) {
        const { summary, workflowId, runIds } = await triggerAndAwait(h.env.client, schedule, ticks.length);
        sweepRuns.push(...runIds.map((runId) => ({ workflowId, runId })));
        ticks.push({ tick, summary });
        log(`tick ${tick}: scanned ${summary.scanned}, started ${summary.started}, skipped ${JSON.stringify(summary.skipped)}${summary.stoppedAt ? `, stopped at ${summary.stoppedAt}` : ''}`);
        await awaitRemediations(h.env.client, fleet);
        // Days pass at Moov between ticks; Temporal's clock (the cooldown's) does not jump.
        await h.admin.advanceClock(2 * DAY);
      }
    } finally {
      await schedule.delete();
    }
    return {
      ...(await audit(h, fleet, sweepRuns)),
      accounts: fleet.length,
      byKind: countKinds(fleet),
      ticks,
      started: ticks.reduce((sum, t) => sum + t.summary.started, 0),
      wallTimeMs: Date.now() - began,
    };
  } finally {
    await h.close();
  }
}

async function seedFleet(h: WorkflowHarness, size: number): Promise<Seeded[]> {
  const kinds: Kind[] = [];
  for (let i = 0; i < size; i++) {
    let slot = (i % 10) + 1;
    for (const [kind, tenths] of MIX) {
      if (slot <= tenths) {
        kinds.push(kind);
        break;
      }
      slot -= tenths;
    }
  }
  return mapBounded(kinds, 16, async (kind, index) => {
    const email = `fleet-${index}@merchant.test`;
    const phone = { number: String(5550000000 + index).slice(0, 10), countryCode: '1' };
    const requirements =
      kind === 'clean' ? { currentlyDue: [], errors: [] }
      : kind === 'due-only' ? { currentlyDue: ['document.business.verification'], errors: [] }
      : { currentlyDue: [], errors: [{ requirement: 'business.ein', errorCode: 'document-name-mismatch' }] };
    const { accountID } = await h.admin.seedAccount({
      displayName: `Fleet ${index} (${kind})`,
      ...(kind === 'due-only' ? { phone } : { email }),
      capabilities: [{ capability: 'collect-funds', status: kind === 'clean' ? 'enabled' : 'pending', requirements }],
    });
    if (kind === 'refused-403' || kind === 'refused-404') {
      await h.admin.addFault({ route: CAPABILITIES, accountID, fault: { status: kind === 'refused-403' ? 403 : 404 }, probability: 1 });
    }
    return { accountID, kind, recipient: kind === 'due-only' ? `${phone.countryCode}${phone.number}` : email };
  });
}

async function closeOneRemediationEach(h: WorkflowHarness, accounts: Seeded[]): Promise<void> {
  await mapBounded(accounts, 8, async ({ accountID, recipient }) => {
    await h.env.client.workflow.execute('merchantRemediation', {
      taskQueue: h.taskQueue,
      workflowId: remediationWorkflowId(accountID),
      args: [{ accountID, resolutionLink: { recipient: { email: recipient } }, options: { followThrough: false } }],
    });
  });
}

/** Triggers the schedule and waits for the sweep it starts (through its continue-as-new runs). */
export async function triggerAndAwait(client: Client, schedule: ReturnType<typeof sweepSchedule>, actionsBefore: number) {
  await schedule.trigger();
  let action: { workflowId: string; firstExecutionRunId: string } | undefined;
  for (let i = 0; i < 300 && !action; i++) {
    const { info } = await schedule.describe();
    if (info.numActionsTaken > actionsBefore) action = info.recentActions.at(-1)?.action.workflow;
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!action) throw new Error('the schedule took no action after trigger');
  const summary = (await client.workflow.getHandle(action.workflowId, action.firstExecutionRunId, { followRuns: true }).result()) as SweepSummary;
  const runIds: string[] = [];
  for (let runId: string | undefined = action.firstExecutionRunId; runId; ) {
    runIds.push(runId);
    const history = await client.workflow.getHandle(action.workflowId, runId).fetchHistory();
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { summary, workflowId: action.workflowId, runIds };
}

/** Every remediation the sweeps started has finished (no follow-through: the steps only). */
async function awaitRemediations(client: Client, fleet: Seeded[]): Promise<void> {
  await mapBounded(fleet, 16, async ({ accountID }) => {
    try {
      await client.workflow.getHandle(remediationWorkflowId(accountID)).result();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  });
}

/** Moov's side, account by account, against what each kind of account should have. */
async function audit(h: WorkflowHarness, fleet: Seeded[], sweepRuns: { workflowId: string; runId: string }[]) {
  const problems: string[] = [];
  let linksPerMerchantMax = 0;
  let largestHistory = { events: 0, workflowId: '' };
  const note = (events: number, workflowId: string) => {
    if (events > largestHistory.events) largestHistory = { events, workflowId };
  };
  await mapBounded(fleet, 16, async (account) => {
    const state = await h.admin.state(account.accountID);
    const links = state.resolutionLinks;
    linksPerMerchantMax = Math.max(linksPerMerchantMax, links.length);
    const shouldHaveLink = account.kind === 'errors' || account.kind === 'due-only' || account.kind === 'closed-before';
    if (shouldHaveLink && (links.length !== 1 || links[0]!.recipient !== account.recipient)) {
      problems.push(`${account.accountID} (${account.kind}): ${links.length} links, expected exactly one to its merchant`);
    }
    if (!shouldHaveLink && links.length > 0) problems.push(`${account.accountID} (${account.kind}): ${links.length} links, expected none`);
    let description;
    try {
      description = await h.env.client.workflow.getHandle(remediationWorkflowId(account.accountID)).describe();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (shouldHaveLink && description?.status.name !== 'COMPLETED') {
      problems.push(`${account.accountID} (${account.kind}): remediation ${description?.status.name ?? 'missing'}, expected COMPLETED`);
    }
    if (!shouldHaveLink && description) problems.push(`${account.accountID} (${account.kind}): a remediation ran, expected none`);
    if (description) note(description.historyLength, description.workflowId);
  });
  for (const { workflowId, runId } of sweepRuns) {
    const history = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    note(history.events?.length ?? 0, `${workflowId} (run ${runId})`);
  }
  const requests = await h.admin.requests();
  return {
    problems,
    linksPerMerchantMax,
    largestHistory,
    linkCreates: requests.filter((r) => r.route === CREATE_LINK).length,
    capabilityReads: requests.filter((r) => r.route === CAPABILITIES).length,
  };
}

function countKinds(fleet: Seeded[]): Record<Kind, number> {
  const counts = Object.fromEntries(MIX.map(([kind]) => [kind, 0])) as Record<Kind, number>;
  for (const { kind } of fleet) counts[kind] += 1;
  return counts;
}

export function formatFleetReport(report: FleetReport): string {
  const lines = [
    `| tick | scanned | selected | started | already running | skipped | stopped at |`,
    `|---|---|---|---|---|---|---|`,
    ...report.ticks.map(
      ({ tick, summary: s }) =>
        `| ${tick} | ${s.scanned} | ${s.selected} | ${s.started} | ${s.alreadyRunning} | ${Object.entries(s.skipped).map(([k, v]) => `${k} ${v}`).join(', ')} | ${s.stoppedAt ?? '—'} |`,
    ),
    '',
    `accounts ${report.accounts} (${Object.entries(report.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}); started ${report.started};` +
      ` link creates ${report.linkCreates}; at most ${report.linksPerMerchantMax} link(s) per merchant; capability reads ${report.capabilityReads};` +
      ` largest history ${report.largestHistory.events} events (${report.largestHistory.workflowId}); problems ${report.problems.length}; ${Math.round(report.wallTimeMs / 1000)} s`,
  ];
  return lines.join('\n');
}

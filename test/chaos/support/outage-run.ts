import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RemediationStatus } from '../../../src/domain/remediation-status';
import { remediationWorkflowId } from '../../../src/domain/workflow-ids';
import { ANY_ROUTE } from '../../../src/sandbox/faults';
import type { merchantRemediation } from '../../../src/workflows';
import { statusQuery } from '../../../src/workflows/definitions';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow-harness';
import { MERCHANT_EMAIL, seedMerchant, seedPrincipal } from '../../workflows/support/helpers';

export interface OutageRunOptions {
  remediations: number;
  /** How long Moov answers 503 to everything, on the Temporal server's (skipped) clock. */
  outageMs: number;
  log?: (line: string) => void;
}

export interface OutageRunSummary {
  remediations: number;
  outageMs: number;
  completed: number;
  failed: number;
  /** Remediations whose status said `waiting-for-moov` when the outage ended. */
  parkedAtRecovery: number;
  /** A file, link or connection at Moov more than once for one merchant. */
  duplicates: number;
  /** A step that never landed at Moov (a file missing, no link, no connection, a payment link not updated). */
  lost: number;
  requestsDuringOutage: number;
  /** Requests per minute of the outage, the fleet's whole. */
  requestsPerMinuteDuringOutage: number;
  /** The same per parked remediation, per hour. */
  requestsPerRemediationHour: number;
  /** From the end of the outage to the last remediation's completion (Temporal server time). */
  recoveryToLastCompletionMs: number;
  recoveryToMedianCompletionMs: number;
  wallMs: number;
  problems: string[];
}

/**
 * Moov down for `outageMs` while `remediations` full remediations are in flight, on the
 * time-skipping server (its clock jumps over the parked calls' timers; no real waiting): every
 * request is answered 503 until the outage ends. Each remediation uploads a file, shares the
 * connection, updates a payment link and sends a link; the run checks each landed exactly once.
 */
export async function runOutage({ remediations, outageMs, log = () => undefined }: OutageRunOptions): Promise<OutageRunSummary> {
  const wallStart = Date.now();
  // Every request is kept: the run counts those of the outage.
  const h = await startWorkflowHarness('time-skipping', { requestLogSize: 500_000 });
  try {
    return await runOn(h, remediations, outageMs, log, wallStart);
  } finally {
    await h.close();
  }
}

async function runOn(h: WorkflowHarness, remediations: number, outageMs: number, log: (line: string) => void, wallStart: number): Promise<OutageRunSummary> {
  const principalAccountID = await seedPrincipal(h);
  const merchants = await Promise.all(
    Array.from({ length: remediations }, async () => {
      const accountID = await seedMerchant(h);
      const { code } = await h.admin.seedPaymentLink(accountID);
      return { accountID, code };
    }),
  );
  await h.admin.addFault({ route: ANY_ROUTE, fault: { status: 503 }, probability: 1 });
  const handles: WorkflowHandle<typeof merchantRemediation>[] = await Promise.all(
    merchants.map(({ accountID, code }) =>
      h.env.client.workflow.start('merchantRemediation', {
        taskQueue: h.taskQueue,
        workflowId: remediationWorkflowId(accountID),
        args: [
          {
            accountID,
            files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }],
            resolutionLink: { recipient: { email: MERCHANT_EMAIL } },
            connection: { principalAccountID, allowScopes: ['accounts.read'] },
            paymentLinks: [{ code, update: { display: { title: 'Yoga class' } } }],
            options: { followThrough: false },
          },
        ],
      }),
    ),
  );
  log(`${remediations} remediations started; Moov down for ${outageMs / 60_000} minutes`);
  await h.env.sleep(outageMs);

  const problems: string[] = [];
  const statuses = await Promise.all(handles.map((handle) => handle.query(statusQuery)));
  const parkedAtRecovery = statuses.filter((status) => status.phase === 'waiting-for-moov').length;
  const duringOutage = await h.admin.requests();
  if (duringOutage.some((request) => request.status !== 503)) problems.push('a request during the outage was not answered 503');
  await h.admin.call('DELETE', '/_sandbox/faults');
  const recoveredAtMs = await h.env.currentTimeMs();
  log(`Moov back after ${duringOutage.length} requests; ${parkedAtRecovery} remediations parked`);

  // One at a time: 200 long polls at once on the time-skipping server end in client-side errors
  // (not the workflows' outcomes); the others go on meanwhile.
  const finals: (RemediationStatus | undefined)[] = [];
  for (const [i, handle] of handles.entries()) {
    const outcome = await settle(handle);
    if ('error' in outcome) problems.push(`${merchants[i]!.accountID}: ${outcome.error}`);
    finals.push('status' in outcome ? outcome.status : undefined);
  }
  const closeTimes = await Promise.all(handles.map(async (handle) => (await handle.describe()).closeTime?.getTime() ?? Number.NaN));
  const completed = finals.filter((status) => status?.phase === 'completed').length;
  for (const [i, status] of finals.entries()) if (status && status.phase !== 'completed') problems.push(`${merchants[i]!.accountID}: ended ${status.phase}`);

  let duplicates = 0;
  let lost = 0;
  for (const { accountID, code } of merchants) {
    const state = await h.admin.state(accountID);
    const counts = [state.files.filter((file) => file.fileName === 'passport.pdf').length, state.resolutionLinks.length, state.connections.length];
    duplicates += counts.filter((n) => n > 1).length;
    lost += counts.filter((n) => n === 0).length + (state.paymentLinks.find((link) => link.code === code)?.display?.title === 'Yoga class' ? 0 : 1);
  }

  const recoveries = closeTimes.map((t) => t - recoveredAtMs).sort((a, b) => a - b);
  const minutes = outageMs / 60_000;
  return {
    remediations,
    outageMs,
    completed,
    failed: remediations - completed,
    parkedAtRecovery,
    duplicates,
    lost,
    requestsDuringOutage: duringOutage.length,
    requestsPerMinuteDuringOutage: round(duringOutage.length / minutes),
    requestsPerRemediationHour: round(duringOutage.length / remediations / (outageMs / 3600_000)),
    recoveryToLastCompletionMs: recoveries.at(-1) ?? Number.NaN,
    recoveryToMedianCompletionMs: recoveries[Math.floor(recoveries.length / 2)] ?? Number.NaN,
    wallMs: Date.now() - wallStart,
    problems,
  };
}

/** The workflow's result, or why it failed; a client-side error (a long poll cut short) is asked again. */
async function settle(handle: WorkflowHandle<typeof merchantRemediation>): Promise<{ status: RemediationStatus } | { error: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { status: await handle.result() };
    } catch (err) {
      if (err instanceof WorkflowFailedError || attempt >= 10) return { error: `ended failed: ${(err as Error).message}` };
    }
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export function formatOutageSummary(s: OutageRunSummary): string {
  return [
    `outage: ${s.remediations} remediations, Moov down ${s.outageMs / 3600_000} h (time-skipping server)`,
    `  completed ${s.completed}, failed ${s.failed}, duplicates ${s.duplicates}, lost ${s.lost}; parked when Moov came back: ${s.parkedAtRecovery}`,
    `  requests during the outage: ${s.requestsDuringOutage} (${s.requestsPerMinuteDuringOutage}/min fleet-wide, ${s.requestsPerRemediationHour} per remediation-hour)`,
    `  recovery to completion: median ${(s.recoveryToMedianCompletionMs / 1000).toFixed(0)} s, last ${(s.recoveryToLastCompletionMs / 1000).toFixed(0)} s`,
    `  wall time ${(s.wallMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

/**
 * `npm run record-histories`: runs each workflow scenario for real (time-skipping Temporal test
 * server, the Moov sandbox, the project's worker and activities) and writes each run's event
 * history to test/fixtures/histories/<scenario>.json. test/replay/replay.test.ts replays them
 * against the current workflow code: a change that would break running remediations (a
 * non-deterministic one) fails that test. See docs/deploying.md.
 *
 * `npm run record-histories` records every scenario; `npm run record-histories -- <scenario> …`
 * only those. Each scenario's files are replaced; other files in the folder are left alone.
 * Re-record after a *deliberate* change that keeps old runs working (behind patched()), and keep
 * the old files under another name while runs of the old code may still exist (docs/deploying.md).
 */
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { realpathSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { accountEventWorkflowId, remediationWorkflowId } from '../src/domain/workflow-ids';
import { accountEventTriage, remediationSweep } from '../src/workflows';
import { addWorkUpdate, markResolvedUpdate, moovChangedSignal, replaceActiveLinkUpdate } from '../src/workflows/definitions';
import { startWorkflowHarness, type WorkflowHarness } from '../test/support/workflow-harness';
import { HOUR, MERCHANT_EMAIL, alignSandboxClock, seedMerchant, seedPrincipal, startRemediationWorkflow, waitForPhase, waitForStatus } from '../test/workflows/support/helpers';

export const HISTORIES_DIR = path.resolve(__dirname, '../test/fixtures/histories');

const DAY = 24 * HOUR;
const FILES = [
  { path: 'passport.pdf', filePurpose: 'identity_verification' as const, metadata: { requirement_id: 'document.individual.verification' } },
  { path: 'utility-bill.png', filePurpose: 'business_verification' as const },
];
const link = { recipient: { email: MERCHANT_EMAIL } };

/** A recorded run: the workflow and, for continue-as-new chains, which run. */
interface Run {
  handle: WorkflowHandle;
  runId?: string;
}

type Scenario = (h: WorkflowHarness) => Promise<Run | Run[]>;

async function settle(result: Promise<unknown>): Promise<void> {
  await result.catch((err: unknown) => {
    if (!(err instanceof WorkflowFailedError)) throw err;
  });
}

async function seedForeignLink(h: WorkflowHarness, accountID: string, expiresInMs: number) {
  const now = Date.parse((await h.admin.clock()).now);
  return h.admin.seedResolutionLink(accountID, {
    recipient: 'someone-else@partner.test',
    createdOn: new Date(now - HOUR).toISOString(),
    expiresOn: new Date(now + expiresInMs).toISOString(),
  });
}

function clearRequirements(h: WorkflowHarness, accountID: string) {
  return h.admin.patchCapability(accountID, 'collect-funds', { status: 'enabled', requirements: { currentlyDue: [], errors: [] } });
}

/**
 * The seeded merchant (an error and an item due for document.business.verification), more items
 * due, and a catalog.json beside its sample files (src/domain/document-catalog.ts).
 */
async function seedMerchantWithCatalog(h: WorkflowHarness, moreDue: string[]): Promise<string> {
  const accountID = await seedMerchant(h);
  await h.admin.patchCapability(accountID, 'collect-funds', {
    requirements: { currentlyDue: ['document.business.verification', ...moreDue], errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] },
  });
  const catalog = {
    documents: [
      { path: 'passport.pdf', filePurpose: 'business_verification', satisfies: ['document.business.verification'] },
      { path: 'utility-bill.png', filePurpose: 'representative_verification', satisfies: ['document.representative.verification'] },
    ],
  };
  await writeFile(path.join(h.filesRoot, accountID, 'catalog.json'), JSON.stringify(catalog));
  return accountID;
}

/** Every run of a continue-as-new chain, first to last. */
async function chain(h: WorkflowHarness, handle: WorkflowHandle, firstRunId: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    runs.push({ handle, runId });
    const history = await h.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

export const SCENARIOS: Record<string, Scenario> = {
  /** Files, link, connection and a payment link update; follow-through off. */
  'remediation-happy-path': async (h) => {
    const accountID = await seedMerchant(h);
    const principalAccountID = await seedPrincipal(h);
    const { code } = await h.admin.seedPaymentLink(accountID);
    const handle = await startRemediationWorkflow(h, {
      accountID,
      files: FILES,
      resolutionLink: link,
      connection: { principalAccountID, allowScopes: ['accounts.read', 'files.write'] },
      paymentLinks: [{ code, update: { amount: { currency: 'USD', value: 1999 } } }],
    });
    await handle.result();
    return { handle };
  },

  /** 409 for another party's link: durable wait until it expires (2 h), then ours is created. */
  'remediation-409-wait-then-create': async (h) => {
    const accountID = await seedMerchant(h);
    await seedForeignLink(h, accountID, 2 * HOUR);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await waitForPhase(handle, 'waiting-for-active-link');
    await h.admin.advanceClock(2 * HOUR + 10 * 60_000);
    await handle.result();
    return { handle };
  },

  /** Our create was applied but its answer lost (500): the 409 that follows adopts our own link. */
  'remediation-adopted-link': async (h) => {
    const accountID = await seedMerchant(h);
    await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, sequence: [{ applyThenFail: 'status-500' }] });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await handle.result();
    return { handle };
  },

  /** An operator replaces the other party's link with the replaceActiveLink update. */
  'remediation-replace-link': async (h) => {
    const accountID = await seedMerchant(h);
    await seedForeignLink(h, accountID, 30 * DAY);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await waitForPhase(handle, 'waiting-for-active-link');
    await handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'merchant asked for a new link' }] });
    await handle.result();
    return { handle };
  },

  /** Follow-through: the requirement errors clear, seen at the 6 h check: resolved by Moov. */
  'remediation-follow-through-resolved': async (h) => {
    const accountID = await seedMerchant(h);
    const handle = await startRemediationWorkflow(h, { accountID, files: FILES.slice(0, 1), resolutionLink: link, options: { followThrough: true } });
    await waitForPhase(handle, 'awaiting-merchant');
    await clearRequirements(h, accountID);
    await handle.result();
    return { handle };
  },

  /**
   * Follow-through checking every minute (the floor) for 170 minutes: the first run continues as
   * new at FOLLOW_THROUGH_EVENTS_PER_RUN, the second goes on from the carried state and ends unresolved.
   */
  'remediation-follow-through-continue-as-new': async (h) => {
    const accountID = await seedMerchant(h);
    const handle = await startRemediationWorkflow(h, {
      accountID,
      resolutionLink: link,
      options: { followThrough: true, followThroughPollInterval: '1 minute', maxFollowThrough: '170 minutes' },
    });
    await handle.result();
    return chain(h, handle, handle.firstExecutionRunId);
  },

  /** Follow-through ended by an operator's markResolved update. */
  'remediation-mark-resolved': async (h) => {
    const accountID = await seedMerchant(h);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { followThrough: true } });
    await waitForPhase(handle, 'awaiting-merchant');
    await handle.executeUpdate(markResolvedUpdate, { args: [{ note: 'verified by phone' }] });
    await handle.result();
    return { handle };
  },

  /** markResolved lands while a follow-through check reads Moov (slowly) and the link has ended: acted on before any fresh link. */
  'remediation-mark-resolved-during-check': async (h) => {
    const accountID = await seedMerchant(h);
    await h.admin.addFault({ route: 'GET /accounts/:accountID/capabilities', accountID, sequence: [{ latencyMs: 3_000 }] });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { followThrough: true } });
    const checking = await waitForPhase(handle, 'awaiting-merchant');
    await h.admin.patchResolutionLink(accountID, checking.resolutionLink!.code, { status: 'disabled' });
    await handle.executeUpdate(markResolvedUpdate, { args: [{ note: 'verified by phone' }] });
    await handle.result();
    return { handle };
  },

  /** A second start adds a file while the run waits for another party's link: uploaded during the wait; then replaced. */
  'remediation-add-work-during-link-wait': async (h) => {
    const accountID = await seedMerchant(h);
    await seedForeignLink(h, accountID, 30 * DAY);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { followThrough: false } });
    await waitForPhase(handle, 'waiting-for-active-link');
    await handle.executeUpdate(addWorkUpdate, { args: [{ work: { files: FILES.slice(0, 1), resolutionLink: link } }] });
    await waitForStatus(handle, 'the added file uploaded during the wait', (s) => s.files[0]?.state === 'uploaded' && s.phase === 'waiting-for-active-link');
    await handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'merchant asked for a new link' }] });
    await handle.result();
    return { handle };
  },

  /** Moov's webhook during the wait for another party's link brings the next look forward; the link has ended by then. */
  'remediation-link-wait-webhook': async (h) => {
    const accountID = await seedMerchant(h);
    const foreign = await seedForeignLink(h, accountID, 30 * DAY);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { followThrough: false } });
    await waitForPhase(handle, 'waiting-for-active-link');
    await h.admin.patchResolutionLink(accountID, foreign.code, { status: 'disabled' });
    await handle.signal(moovChangedSignal, { eventID: 'evt-recorded-link-wait', type: 'account.updated', createdOn: new Date().toISOString() });
    await handle.result();
    return { handle };
  },

  /** Work added during follow-through, then Moov's webhook (the same eventID twice) wakes the check that sees it resolved. */
  'remediation-add-work-follow-through': async (h) => {
    const accountID = await seedMerchant(h);
    const principal = await seedPrincipal(h);
    const handle = await startRemediationWorkflow(h, { accountID, files: FILES.slice(0, 1), resolutionLink: link, options: { followThrough: true } });
    const watching = await waitForStatus(handle, 'the first check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.nextCheckAt);
    await handle.executeUpdate(addWorkUpdate, { args: [{ work: { files: FILES.slice(1), connection: { principalAccountID: principal } } }] });
    await waitForStatus(handle, 'the added work done and Moov read again', (s) => !!s.connection && s.followThrough?.lastCheckedAt !== watching.followThrough?.lastCheckedAt && !!s.followThrough?.nextCheckAt);
    await clearRequirements(h, accountID);
    const notice = { eventID: 'evt-recorded-1', type: 'capability.updated', createdOn: new Date().toISOString() };
    await handle.signal(moovChangedSignal, notice);
    await handle.signal(moovChangedSignal, notice);
    await handle.result();
    return { handle };
  },

  /** Cancelled while waiting for another party's link. */
  'remediation-cancelled': async (h) => {
    const accountID = await seedMerchant(h);
    await seedForeignLink(h, accountID, 30 * DAY);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await waitForPhase(handle, 'waiting-for-active-link');
    await handle.cancel();
    await settle(handle.result());
    return { handle };
  },

  /** Moov refuses a step for good (404 for an unknown payment link): the workflow fails after the earlier steps. */
  'remediation-failed': async (h) => {
    const accountID = await seedMerchant(h);
    const principalAccountID = await seedPrincipal(h);
    const handle = await startRemediationWorkflow(h, {
      accountID,
      resolutionLink: link,
      connection: { principalAccountID },
      paymentLinks: [{ code: 'doesNotExist', update: { display: { title: 'Yoga class' } } }],
    });
    await settle(handle.result());
    return { handle };
  },

  /** Our own link from an earlier run (our partnerAccountID, same recipient, 3 days old): adopted at once. */
  'remediation-own-link-earlier-run': async (h) => {
    const accountID = await seedMerchant(h);
    const now = Date.parse((await h.admin.clock()).now);
    await h.admin.seedResolutionLink(accountID, {
      recipient: MERCHANT_EMAIL,
      createdOn: new Date(now - 3 * DAY).toISOString(),
      expiresOn: new Date(now + 27 * DAY).toISOString(),
    });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await handle.result();
    return { handle };
  },

  /**
   * Moov's clock behind ours: the other party's link stays active by Moov's word past its expiry by
   * ours, so the wait keeps looking (every 15 minutes) until maxActiveLinkWait, then fails.
   */
  'remediation-link-wait-moov-clock-behind': async (h) => {
    const accountID = await seedMerchant(h);
    await seedForeignLink(h, accountID, HOUR);
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { maxActiveLinkWait: '2 hours' } });
    await settle(handle.result());
    return { handle };
  },

  /** A 429 asking for 2 hours against the 1-hour step budget: a durable timer, then the link is created. */
  /** files "auto": the catalog covers the business document; an item due that no document fits goes to the link. */
  'remediation-auto-files': async (h) => {
    const accountID = await seedMerchantWithCatalog(h, ['business.industry-codes']);
    const handle = await startRemediationWorkflow(h, { accountID, files: 'auto', resolutionLink: link });
    await handle.result();
    return { handle };
  },

  /** files "auto" with every open requirement covered by a catalog document: uploaded, and no link sent. */
  'remediation-auto-files-all-covered': async (h) => {
    const accountID = await seedMerchantWithCatalog(h, []);
    const handle = await startRemediationWorkflow(h, { accountID, files: 'auto', resolutionLink: link });
    await handle.result();
    return { handle };
  },

  'remediation-durable-wait-hint': async (h) => {
    const accountID = await seedMerchant(h);
    await h.admin.addFault({
      route: 'POST /accounts/:accountID/resolution-links',
      accountID,
      sequence: [{ status: 429, headers: { 'Retry-After': '7200' } }],
    });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await handle.result();
    return { handle };
  },

  /** Moov down for the link create (9 × 503): six attempts, the call parks, three probes find it down, the fourth creates the link. */
  'remediation-outage-parks': async (h) => {
    const accountID = await seedMerchant(h);
    await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, sequence: Array.from({ length: 9 }, () => ({ status: 503 })) });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link });
    await handle.result();
    return { handle };
  },

  /** Moov down for longer than maxOutageWait (10 minutes): the remediation fails MoovOutageTooLong. */
  'remediation-outage-too-long': async (h) => {
    const accountID = await seedMerchant(h);
    await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, fault: { status: 503 }, probability: 1 });
    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: link, options: { maxOutageWait: '10 minutes' } });
    await settle(handle.result());
    await h.admin.call('DELETE', '/_sandbox/faults');
    return { handle };
  },

  /** A sweep that starts remediations as children and joins one already running (start fails: already started). */
  'sweep-starts-children': async (h) => {
    await h.admin.reset();
    await alignSandboxClock(h);
    const errors = (requirement: string) => [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement, errorCode: 'document-name-mismatch' }] } }];
    await h.admin.seedAccount({ displayName: 'Clean Co', email: 'clean@merchant.test', capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
    await h.admin.seedAccount({ displayName: 'Broken Co', email: 'broken@merchant.test', capabilities: errors('document.business.verification') });
    await h.admin.seedAccount({ displayName: 'Nobody Co', capabilities: errors('business.ein') });
    const running = await h.admin.seedAccount({ displayName: 'Running Co', email: 'running@merchant.test', capabilities: errors('document.individual.verification') });
    await seedForeignLink(h, running.accountID, 20 * DAY);
    const runningHandle = await startRemediationWorkflow(h, { accountID: running.accountID, resolutionLink: { recipient: { email: 'running@merchant.test' } } });
    await waitForPhase(runningHandle, 'waiting-for-active-link');

    const handle = await h.env.client.workflow.start(remediationSweep, {
      taskQueue: h.taskQueue,
      workflowId: 'remediation-sweep-record-children',
      args: [{ remediation: { options: { followThrough: false } } }],
    });
    await handle.result();
    await runningHandle.cancel();
    await settle(runningHandle.result());
    return { handle };
  },

  /** A webhook's triage of an account with requirement errors: requirements, profile, cooldown look, then the remediation as a child. */
  'account-event-triage-starts-remediation': async (h) => {
    const accountID = await seedMerchant(h);
    const handle = await h.env.client.workflow.start(accountEventTriage, {
      taskQueue: h.taskQueue,
      workflowId: accountEventWorkflowId(accountID),
      args: [{ accountID, template: { remediation: { options: { followThrough: false } } }, event: { eventID: 'ev-record-1', type: 'capability.updated' } }],
    });
    await handle.result();
    await h.env.client.workflow.getHandle(remediationWorkflowId(accountID)).result();
    return { handle };
  },

  /** A webhook's triage of an account with nothing open: one read, nothing started. */
  'account-event-triage-nothing-open': async (h) => {
    const { accountID } = await h.admin.seedAccount({ displayName: 'Clean Co', email: 'clean@merchant.test', capabilities: [{ capability: 'collect-funds', status: 'enabled' }] });
    const handle = await h.env.client.workflow.start(accountEventTriage, {
      taskQueue: h.taskQueue,
      workflowId: accountEventWorkflowId(accountID),
      args: [{ accountID, event: { eventID: 'ev-record-2', type: 'account.updated' } }],
    });
    await handle.result();
    return { handle };
  },

  /** A dry-run sweep over 5 accounts, 2 per page, 1 page per run: three runs chained by continue-as-new. */
  'sweep-continue-as-new': async (h) => {
    await h.admin.reset();
    await alignSandboxClock(h);
    for (let i = 0; i < 5; i++) {
      await h.admin.seedAccount({
        displayName: `Merchant ${i}`,
        email: `m${i}@merchant.test`,
        capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'business.ein', errorCode: 'document-name-mismatch' }] } }],
      });
    }
    const handle = await h.env.client.workflow.start(remediationSweep, {
      taskQueue: h.taskQueue,
      workflowId: 'remediation-sweep-record-pages',
      args: [{ remediation: { options: { followThrough: false } }, pageSize: 2, pagesPerRun: 1, dryRun: true }],
    });
    await handle.result();
    return chain(h, handle, handle.firstExecutionRunId);
  },
};

/** Failure stack traces name the recording checkout's absolute paths; keep them relative to it. */
function withoutCheckoutPaths(json: string): string {
  const root = path.resolve(__dirname, '..');
  const roots = new Set([root, path.dirname(realpathSync(path.join(root, 'node_modules')))]);
  return [...roots].reduce((text, dir) => text.split(`${dir}/`).join(''), json);
}

async function main(): Promise<void> {
  // Several scenarios fail or cancel workflows on purpose; the SDK would log each at WARN.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const only = process.argv.slice(2);
  const h = await startWorkflowHarness();
  try {
    await mkdir(HISTORIES_DIR, { recursive: true });
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      if (only.length > 0 && !only.includes(name)) continue;
      // Replace this scenario's files only: histories kept under other names (see docs/deploying.md) stay.
      for (const file of await readdir(HISTORIES_DIR)) {
        if (file === `${name}.json` || new RegExp(`^${name}-run\\d+\\.json$`).test(file)) await rm(path.join(HISTORIES_DIR, file));
      }
      await alignSandboxClock(h);
      const result = await scenario(h);
      const runs = Array.isArray(result) ? result : [result];
      for (const [index, run] of runs.entries()) {
        const history = await h.env.client.workflow.getHandle(run.handle.workflowId, run.runId).fetchHistory();
        const file = runs.length > 1 ? `${name}-run${index + 1}.json` : `${name}.json`;
        await writeFile(path.join(HISTORIES_DIR, file), `${withoutCheckoutPaths(JSON.stringify(JSON.parse(historyToJSON(history)), null, 2))}\n`);
        console.log(`${file}: ${history.events?.length ?? 0} events`);
      }
    }
  } finally {
    await h.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

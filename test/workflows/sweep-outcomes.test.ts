import { WorkflowNotFoundError } from '@temporalio/client';
import type { SweepInput } from '../../src/domain/sweep-input';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { remediationSweep } from '../../src/workflows';
import { alignSandboxClock, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

/**
 * Sweeps at fleet scale: one refused account never stops them, closed remediations
 * are not restarted within a cooldown and starts are bounded per run, and a short page
 * is not the end of the list. Moov here answers at most 3 accounts per page.
 */
const h = useWorkflowHarness({ maxPageCount: 3 });
const CAPABILITIES = 'GET /accounts/:accountID/capabilities';
const NO_FOLLOW_THROUGH: SweepInput = { remediation: { options: { followThrough: false } } };

beforeEach(async () => {
  await h().admin.reset();
  await alignSandboxClock(h());
});

let sweeps = 0;
function runSweep(input: SweepInput) {
  sweeps += 1;
  return h().env.client.workflow.execute(remediationSweep, { taskQueue: h().taskQueue, workflowId: `remediation-sweep-outcomes-${sweeps}`, args: [input] });
}

async function seedWithErrors(name: string): Promise<string> {
  const { accountID } = await h().admin.seedAccount({
    displayName: name,
    email: `${name.toLowerCase().replace(/\W+/g, '-')}@merchant.test`,
    capabilities: [{ capability: 'collect-funds', status: 'pending', requirements: { errors: [{ requirement: 'business.ein', errorCode: 'document-name-mismatch' }] } }],
  });
  return accountID;
}

const notFound = (accountID: string) => expect(h().env.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

test('an account Moov refuses (403, 404) is skipped with its reason; the sweep goes on to the others', async () => {
  const before = await seedWithErrors('Before Co');
  const forbidden = await seedWithErrors('Forbidden Co');
  const gone = await seedWithErrors('Gone Co');
  const after = await seedWithErrors('After Co');
  await h().admin.addFault({ route: CAPABILITIES, accountID: forbidden, sequence: [{ status: 403 }] });
  await h().admin.addFault({ route: CAPABILITIES, accountID: gone, sequence: [{ status: 404 }] });

  const summary = await runSweep(NO_FOLLOW_THROUGH);

  expect(summary).toMatchObject({ scanned: 4, selected: 2, started: 2, skipped: { refused: 2 } });
  for (const accountID of [before, after]) {
    expect((await h().env.client.workflow.getHandle(remediationWorkflowId(accountID)).result()).phase).toBe('completed');
  }
  await notFound(forbidden);
  await notFound(gone);
});

test('a 401 is no refusal of one account: bad credentials fail the sweep, saying so', async () => {
  const accountID = await seedWithErrors('Any Co');
  await h().admin.addFault({ route: CAPABILITIES, accountID, sequence: [{ status: 401 }] });

  const failure = await runSweep(NO_FOLLOW_THROUGH).then(
    () => undefined,
    (err: unknown) => err as Error & { cause?: Error & { cause?: Error } },
  );

  expect(failure?.cause?.cause?.message ?? failure?.message).toMatch(/listCapabilities failed: 401 Unauthorized — .*check MOOV_PUBLIC_KEY\/MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN/);
  await notFound(accountID);
});

test('an account whose remediation closed within the cooldown is skipped; past the cooldown it is started again', async () => {
  const accountID = await seedWithErrors('Closed Co');
  const first = await startRemediationWorkflow(h(), { accountID, resolutionLink: { recipient: { email: 'closed-co@merchant.test' } } });
  await first.result();

  // Closed moments ago: inside the 7-day default.
  const soon = await runSweep(NO_FOLLOW_THROUGH);
  expect(soon).toMatchObject({ scanned: 1, selected: 0, started: 0, skipped: { 'recently-closed': 1 } });
  expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);

  // The same close, judged by a cooldown it has outlived.
  const later = await runSweep({ ...NO_FOLLOW_THROUGH, closedCooldown: '1 ms' });
  expect(later).toMatchObject({ selected: 1, started: 1 });
  const second = await h().env.client.workflow.getHandle(remediationWorkflowId(accountID)).result();
  // The new run adopts the link the first one sent (our partner, same recipient): no second link.
  expect(second.resolutionLink?.outcome).toBe('adopted');
  expect((await h().admin.state(accountID)).resolutionLinks).toHaveLength(1);
});

test('maxStartsPerRun bounds what one sweep starts', async () => {
  const accounts = [];
  for (let i = 0; i < 5; i++) accounts.push(await seedWithErrors(`Bounded ${i}`));

  const summary = await runSweep({ ...NO_FOLLOW_THROUGH, maxStartsPerRun: 2 });

  expect(summary.started).toBe(2);
  expect(summary.stoppedAt).toBe('max-starts');
  let running = 0;
  for (const accountID of accounts) {
    try {
      await h().env.client.workflow.getHandle(remediationWorkflowId(accountID)).describe();
      running += 1;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  expect(running).toBe(2);
});

test('a short page is not the end of the list: the sweep reads on until an empty page', async () => {
  const accounts = [];
  for (let i = 0; i < 5; i++) accounts.push(await seedWithErrors(`Paged ${i}`));

  const summary = await runSweep({ ...NO_FOLLOW_THROUGH, dryRun: true, pageSize: 10 });

  expect(summary).toMatchObject({ scanned: 5, selected: 5 });
  expect(summary.wouldStart?.map((c) => c.accountID).sort()).toEqual([...accounts].sort());
});

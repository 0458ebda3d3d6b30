import type { RemediationInput } from '../../src/domain/remediation-input';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { seedMerchant, startRemediationWorkflow } from '../workflows/support/helpers';

/**
 * An operator terminates a remediation while its upload is on the wire and starts a new one for the
 * same merchant. Moov has no idempotency key for files and no read shows a request in flight, so the
 * new run's list cannot see the old upload; and the terminated run's heartbeat details (what tells a
 * retry to wait) do not reach a new run. The real dev server: its visibility and clocks are real.
 */
let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev');
});
afterAll(async () => {
  await h?.close();
});

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';
/** Moov stores the held upload this long after it arrived: after the new run's first look. */
const LANDS_AFTER_MS = 8_000;

async function untilARequestIsHeld(deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while ((await h.admin.held()).held === 0) {
    if (Date.now() > deadline) throw new Error('no request was ever held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const attemptsOf = (workflowRunId: string, activityType: string) =>
  h.attempts.filter((a) => a.activityType === activityType && a.runId === workflowRunId);

test('a run started right after one terminated mid-upload waits for that upload to land, then finds it instead of uploading again', async () => {
  const accountID = await seedMerchant(h);
  await h.admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ slowAnswerMs: LANDS_AFTER_MS }] });
  const input: RemediationInput = { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }], options: { followThrough: false } };

  const first = await startRemediationWorkflow(h, input);
  await untilARequestIsHeld(30_000);
  await first.terminate('operator: stuck, starting again');
  const second = await startRemediationWorkflow(h, input);
  const result = await second.result();
  await h.admin.held({ wait: true });

  expect(second.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
  const stored = (await h.admin.state(accountID)).files;
  expect(stored).toHaveLength(1);
  expect(result.files).toEqual([expect.objectContaining({ path: 'passport.pdf', state: 'already-present', fileID: stored[0]!.fileID })]);
  expect(await h.admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);

  // A run after one that completed has nothing of it on the wire: it plans at once.
  const third = await startRemediationWorkflow(h, input);
  await third.result();
  expect(attemptsOf(third.firstExecutionRunId, 'planFileUploads').map((a) => a.attempt)).toEqual([1]);
}, 120_000);

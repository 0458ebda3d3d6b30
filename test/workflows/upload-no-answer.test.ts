import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { seedMerchant, startRemediationWorkflow } from './support/helpers';

/**
 * The real dev server (wall-clock retries, heartbeat details kept across attempts, as in production)
 * and a client whose requests may take at most 1 + 3 + 1 = 5 s: an upload with no answer may land
 * at Moov until 5 s after it was sent.
 */
const TIMEOUTS = { connectTimeoutMs: 1_000, headersTimeoutMs: 3_000, bodyTimeoutMs: 1_000 };
const LONGEST_REQUEST_MS = TIMEOUTS.connectTimeoutMs + TIMEOUTS.headersTimeoutMs + TIMEOUTS.bodyTimeoutMs;

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev', {}, TIMEOUTS);
});
afterAll(async () => {
  await h?.close();
});

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';

test('an upload that got no answer is not repeated blindly: the retry lists, waits until the first could have landed, lists again, then uploads once', async () => {
  const accountID = await seedMerchant(h);
  // The connection drops before Moov answers (and, here, before it stores anything).
  await h.admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ reset: true }] });

  const handle = await startRemediationWorkflow(h, { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] });
  const result = await handle.result();

  expect(result.files).toEqual([expect.objectContaining({ path: 'passport.pdf', state: 'uploaded' })]);
  expect((await h.admin.state(accountID)).files).toHaveLength(1);
  expect((await h.admin.requests({ accountID, route: UPLOAD_ROUTE })).map((r) => r.status)).toEqual([null, 200]);
  // Attempt 2 found nothing, waited inside the attempt until the first upload's landing time, and looked again.
  const uploads = h.attempts.filter((a) => a.workflowId === handle.workflowId && a.activityType === 'uploadFile');
  expect(uploads.map((a) => a.attempt)).toEqual([1, 2]);
  const [firstUpload] = await h.admin.requests({ accountID, route: UPLOAD_ROUTE });
  const lists = await h.admin.requests({ accountID, route: 'GET /accounts/:accountID/files' });
  expect(lists).toHaveLength(3); // the plan, and attempt 2 before and after the landing time
  expect(Date.parse(lists[2]!.at) - Date.parse(firstUpload!.at)).toBeGreaterThanOrEqual(LONGEST_REQUEST_MS - 250);
});

test.each([500, 502, 503])('an upload Moov answered %d is retried after one look, without waiting for it to land', async (status) => {
  const accountID = await seedMerchant(h);
  await h.admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ status }] });

  const handle = await startRemediationWorkflow(h, { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] });
  const result = await handle.result();

  expect(result.files).toEqual([expect.objectContaining({ path: 'passport.pdf', state: 'uploaded' })]);
  expect((await h.admin.requests({ accountID, route: UPLOAD_ROUTE })).map((r) => r.status)).toEqual([status, 200]);
  // The answer reached the retry as a settled record through Temporal (the attempt's last heartbeat):
  // the plan's list and one list by attempt 2, no second look after a landing wait.
  expect(await h.admin.requests({ accountID, route: 'GET /accounts/:accountID/files' })).toHaveLength(2);
  expect((await h.admin.state(accountID)).files).toHaveLength(1);
});

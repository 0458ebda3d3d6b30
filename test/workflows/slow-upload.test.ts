import { ACTIVITY_TIMEOUTS, HEARTBEAT_TIMEOUT_MS, MAX_HTTP_TIMEOUTS_MS } from '../../src/domain/activity-timeouts';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { MERCHANT_EMAIL, seedMerchant, startRemediationWorkflow } from './support/helpers';

/**
 * The real dev server: heartbeat timeouts run on the wall clock, as in production. The client
 * waits up to the largest headers timeout the worker allows, so Moov's slowness meets the
 * heartbeat timeout first (the harness's usual 10 s headers timeout would end the attempt before).
 */
let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness('dev', {}, { headersTimeoutMs: MAX_HTTP_TIMEOUTS_MS.headers });
});
afterAll(async () => {
  await h?.close();
});

const UPLOAD_ROUTE = 'POST /accounts/:accountID/files';

/**
 * Moov answers an upload after longer than the activity's heartbeat timeout (30 s before the fix).
 * The sandbox is slow in real time (a latency fault); the test itself never sleeps.
 */
const SLOWER_THAN_A_HEARTBEAT_TIMEOUT_MS = 35_000;

/** The sandbox logs a request when it answers it: this waits for the slow one to have landed. */
async function answeredRequest(accountID: string, faultId: string, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const answered = (await h.admin.requests({ accountID, route: UPLOAD_ROUTE })).find((r) => r.faultId === faultId);
    if (answered) return answered;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the slow upload was never answered');
}

test(
  'a slow upload (Moov answers after the heartbeat timeout) is stored once: the activity heartbeats while the request is in flight',
  async () => {
    const accountID = await seedMerchant(h);
    const fault = await h.admin.addFault({ route: UPLOAD_ROUTE, accountID, sequence: [{ latencyMs: SLOWER_THAN_A_HEARTBEAT_TIMEOUT_MS }] });

    const handle = await startRemediationWorkflow(h, { accountID, files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }] });
    const result = await handle.result();
    await answeredRequest(accountID, fault.id, SLOWER_THAN_A_HEARTBEAT_TIMEOUT_MS);

    expect(result.files).toEqual([expect.objectContaining({ path: 'passport.pdf', state: 'uploaded' })]);
    const stored = (await h.admin.state(accountID)).files;
    expect(stored.map((f) => f.fileID)).toEqual([result.files[0]!.fileID]);
    expect(await h.admin.requests({ accountID, route: UPLOAD_ROUTE })).toHaveLength(1);
    const uploadAttempts = h.attempts.filter((a) => a.workflowId === handle.workflowId && a.activityType === 'uploadFile');
    expect(uploadAttempts.map((a) => a.attempt)).toEqual([1]);
    // The timeouts come from the one table derived from the HTTP timeouts.
    const scheduled = ((await handle.fetchHistory()).events ?? []).map((e) => e.activityTaskScheduledEventAttributes).filter((a) => a != null);
    const upload = scheduled.find((a) => a.activityType?.name === 'uploadFile')!;
    expect(Number(upload.heartbeatTimeout?.seconds) * 1000).toBe(ACTIVITY_TIMEOUTS.uploadFile.heartbeatTimeoutMs);
    expect(Number(upload.startToCloseTimeout?.seconds) * 1000).toBe(ACTIVITY_TIMEOUTS.uploadFile.startToCloseTimeoutMs);
  },
  SLOWER_THAN_A_HEARTBEAT_TIMEOUT_MS * 2 + 30_000,
);

test(
  'a slow link create (Moov answers after the heartbeat timeout) is not timed out either: every activity heartbeats while it runs',
  async () => {
    const accountID = await seedMerchant(h);
    const route = 'POST /accounts/:accountID/resolution-links';
    const slowerThanTheHeartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS + 5_000;
    await h.admin.addFault({ route, accountID, sequence: [{ latencyMs: slowerThanTheHeartbeatTimeoutMs }] });

    const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } } });
    const result = await handle.result();

    expect(result.resolutionLink).toMatchObject({ outcome: 'created' });
    expect((await h.admin.state(accountID)).resolutionLinks).toHaveLength(1);
    const attempts = h.attempts.filter((a) => a.workflowId === handle.workflowId && a.activityType === 'createResolutionLink');
    expect(attempts.map((a) => a.attempt)).toEqual([1]);
    const scheduled = ((await handle.fetchHistory()).events ?? []).map((e) => e.activityTaskScheduledEventAttributes).find((a) => a?.activityType?.name === 'createResolutionLink');
    expect(Number(scheduled?.heartbeatTimeout?.seconds) * 1000).toBe(HEARTBEAT_TIMEOUT_MS);
  },
  HEARTBEAT_TIMEOUT_MS * 3 + 30_000,
);

import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { waitForRemediation } from '../../src/client';
import { replaceActiveLinkUpdate } from '../../src/workflows/definitions';
import { HOUR, MERCHANT_EMAIL, seedMerchant, startRemediationWorkflow, useWorkflowHarness, waitForPhase } from '../workflows/support/helpers';

/**
 * `--wait` and waitForRemediation watch a remediation that may run for days: the status queries back off (each one replays the history of an evicted
 * workflow), and the outcome still arrives as soon as the run ends, through the result long-poll.
 */
const h = useWorkflowHarness();

/** A real client on the test server whose interceptor notes when each status query is sent. */
function countingClient(queriedAt: number[]): Client {
  const interceptor: WorkflowClientInterceptor = {
    async query(input, next) {
      queriedAt.push(Date.now());
      return next(input);
    },
  };
  return new Client({ connection: h().env.client.connection, namespace: h().env.namespace ?? 'default', interceptors: { workflow: [interceptor] } });
}

test('the status queries back off while the run waits, and the outcome comes as the run ends', async () => {
  const accountID = await seedMerchant(h());
  const now = Date.parse((await h().admin.clock()).now);
  await h().admin.seedResolutionLink(accountID, {
    recipient: 'someone-else@partner.test',
    partnerAccountID: 'another-partner',
    createdOn: new Date(now - HOUR).toISOString(),
    expiresOn: new Date(now + 30 * 24 * HOUR).toISOString(),
  });
  const handle = await startRemediationWorkflow(h(), { accountID, resolutionLink: { recipient: { email: MERCHANT_EMAIL } } });
  await waitForPhase(handle, 'waiting-for-active-link');

  const queriedAt: number[] = [];
  const phases: string[] = [];
  const waiting = waitForRemediation(countingClient(queriedAt), handle.workflowId, { onPhase: (s) => phases.push(s.phase) });
  // Five queries while nothing changes: long enough to see the schedule.
  while (queriedAt.length < 5) await new Promise((resolve) => setTimeout(resolve, 50));
  const gaps = queriedAt.slice(1).map((at, i) => at - queriedAt[i]!);
  // Each gap at least doubles (give or take the event loop), up to the cap.
  for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(gaps[i - 1]! * 1.8);

  await handle.executeUpdate(replaceActiveLinkUpdate, { args: [{ reason: 'test' }] });
  const status = await waiting;

  expect(status.phase).toBe('completed');
  expect(phases).toEqual(['waiting-for-active-link']);
  // The outcome came from the result, not from a query at the next (long) interval.
  expect(queriedAt).toHaveLength(5);
}, 60_000);

test('the gap schedule: doubles from the first gap to the cap, and starts again when the phase moves', async () => {
  const { STATUS_QUERY_MAX_GAP_MS, nextStatusQueryGap } = await import('../../src/client');
  const gaps = [500];
  while (gaps.length < 10) gaps.push(nextStatusQueryGap(gaps.at(-1)!, 500, false));
  expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  expect(STATUS_QUERY_MAX_GAP_MS).toBeGreaterThanOrEqual(5000);
  expect(nextStatusQueryGap(30000, 500, true)).toBe(500);
});

import { WEBHOOK_PATH } from '../../src/webhooks';
import { NEWS_CHECK_MIN_GAP_MS } from '../../src/workflows/follow-through-step';
import type { SandboxRequest } from '../support/sandbox-admin';
import { eventually } from '../support/eventually';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { seedMerchant, startRemediationWorkflow, waitForStatus } from '../workflows/support/helpers';
import { SECRET, startTestReceiver, type TestReceiver } from './support/deliveries';

/**
 * The whole path, as production has it: a change in the sandbox's state (Moov's reviewer updates a
 * capability), the sandbox's signed capability.updated webhook, the receiver, the moovChanged
 * signal, and the remediation's next look at Moov. Every change must be followed by a look; the
 * time each took is reported (a measurement on a shared machine, not an assertion).
 */
let h: WorkflowHarness;
let r: TestReceiver;

beforeAll(async () => {
  h = await startWorkflowHarness('dev');
  r = await startTestReceiver({ client: h.env.client, taskQueue: h.taskQueue });
  await h.admin.call('PUT', '/_sandbox/webhook', { url: `${r.receiver.url}${WEBHOOK_PATH}`, secret: SECRET });
}, 60_000);

afterAll(async () => {
  await r?.close();
  await h?.close();
}, 60_000);

const REMEDIATIONS = 25;
const CAPABILITIES = 'GET /accounts/:accountID/capabilities';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test("each sandbox state change reaches the remediation's next look at Moov through the webhook; the time it takes is reported", async () => {
  const accounts = await Promise.all(
    Array.from({ length: REMEDIATIONS }, async () => {
      const accountID = await seedMerchant(h);
      // The default 24-hour poll: only the webhook can bring a look within the test.
      const handle = await startRemediationWorkflow(h, { accountID, resolutionLink: { recipient: { email: 'owner@merchant.test' } }, options: { followThrough: true } });
      const watching = await waitForStatus(handle, 'the first check', (s) => s.phase === 'awaiting-merchant' && !!s.followThrough?.nextCheckAt, 60_000);
      return { accountID, lastCheckedAt: Date.parse(watching.followThrough!.lastCheckedAt!) };
    }),
  );

  const latencies: number[] = [];
  for (const { accountID, lastCheckedAt } of accounts) {
    // Outside the burst-coalescing gap, so the look is due at once: what is measured is the path.
    await eventually('the coalescing gap since the first check', async () => (Date.now() - lastCheckedAt > NEWS_CHECK_MIN_GAP_MS ? true : undefined), 30_000);
    const looksBefore = (await h.admin.requests({ accountID, route: CAPABILITIES })).length;
    const changedAt = Date.now();
    // A reviewer's decision that leaves an error open: the remediation keeps watching.
    await h.admin.patchCapability(accountID, 'collect-funds', { requirements: { currentlyDue: ['document.business.verification'], errors: [{ requirement: 'document.business.verification', errorCode: 'document-expired' }] } });
    const look: SandboxRequest = await eventually(
      `the look at Moov after ${accountID}'s change`,
      async () => (await h.admin.requests({ accountID, route: CAPABILITIES }))[looksBefore],
      30_000,
    );
    latencies.push(Date.parse(look.at) - changedAt);
  }

  // Each change sent one capability.updated, and the receiver took every one at the first attempt.
  const sent = await h.admin.call<{ state: string; attempts: unknown[] }[]>('GET', '/_sandbox/webhook/deliveries?type=capability.updated');
  expect(sent.map((d) => [d.state, d.attempts.length])).toEqual(accounts.map(() => ['delivered', 1]));
  expect(latencies).toHaveLength(REMEDIATIONS);
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `sandbox state change → the remediation's next look at Moov, ${REMEDIATIONS} changes: ` +
      `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`,
  );
}, 240_000);

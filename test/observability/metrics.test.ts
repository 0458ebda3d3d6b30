import { randomUUID } from 'node:crypto';
import { getRemediationStatus, startRemediation, waitForRemediation } from '../../src/client';
import { FailureType } from '../../src/domain/failure-types';
import { METRICS } from '../../src/observability';
import { parsePrometheus, sampleSum, startObservedWorker, type ObservedWorker } from '../support/observed-worker';
import { writeAccountFiles } from '../support/demo-files';

/**
 * The worker's Prometheus endpoint after one real remediation (dev server, sandbox, worker wired
 * as `npm run worker` wires it) whose upload first meets a 429 with a wait hint: the project's
 * counters and histogram carry the real numbers, next to Temporal's own metrics.
 */
let h: ObservedWorker;

beforeAll(async () => {
  h = await startObservedWorker({ metrics: true, credentials: { publicKey: 'pk_test_METRICS_PUBLIC_31a', secretKey: 'sk_test_METRICS_SECRET_77c' } });
}, 120_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(h.metricsUrl!);
  expect(response.status).toBe(200);
  return parsePrometheus(await response.text());
}

/** Metrics reach the exporter asynchronously (workflow metrics via a sink): poll, no fixed sleeps. */
async function scrapeUntil(ready: (samples: Map<string, number>) => boolean, timeoutMs = 15_000): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let samples = await scrape();
  while (!ready(samples) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    samples = await scrape();
  }
  return samples;
}

test('a remediation whose upload meets a 429 shows up on /metrics with real values', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Metrics Yoga LLC', accountType: 'business' });
  await writeAccountFiles(h.filesRoot, accountID);
  const hintMs = 400;
  await h.admin.addFault({
    route: 'POST /accounts/:accountID/files',
    accountID,
    sequence: [{ status: 429, headers: { 'x-retry-in': String(hintMs) } }],
  });

  const started = await startRemediation(
    h.client,
    {
      accountID,
      files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }],
      resolutionLink: { recipient: { email: 'owner@metrics.example' } },
      options: { followThrough: false },
    },
    { taskQueue: h.taskQueue },
  );
  const status = await waitForRemediation(h.client, started.workflowId);
  expect(status.phase).toBe('completed');

  // The retry really waited for the hint (Temporal's nextRetryDelay, not its 1 s default backoff).
  const uploads = await h.admin.requests({ accountID, route: 'POST /accounts/:accountID/files' });
  expect(uploads.map((entry) => entry.status)).toEqual([429, 200]);
  expect(Date.parse(uploads[1]!.at) - Date.parse(uploads[0]!.at)).toBeGreaterThanOrEqual(hintMs - 50);

  const upload = { operation: 'uploadFile', method: 'POST', route: '/accounts/{accountID}/files' };
  const samples = await scrapeUntil((s) => sampleSum(s, METRICS.remediationOutcomes, { outcome: 'completed' }) >= 1);

  expect(sampleSum(samples, METRICS.moovRequests, { ...upload, status: '429' })).toBe(1);
  expect(sampleSum(samples, METRICS.moovRequests, { ...upload, status: '200' })).toBe(1);
  // planFileUploads lists the account's files; the first upload attempt trusts that list, the retry lists again.
  expect(sampleSum(samples, METRICS.moovRequests, { operation: 'listFiles', status: '200' })).toBe(2);
  expect(sampleSum(samples, METRICS.moovRequests, { operation: 'createResolutionLink', status: '200' })).toBe(1);
  expect(sampleSum(samples, METRICS.moovRateLimited, { operation: 'uploadFile' })).toBe(1);
  expect(sampleSum(samples, METRICS.activityRetries, { activity_type: 'uploadFile' })).toBe(1);
  expect(sampleSum(samples, METRICS.waitHintsHonoured, { activity_type: 'uploadFile', failure_type: FailureType.RateLimited })).toBe(1);
  // Emitted by the workflow (its meter adds namespace, taskQueue and workflowType).
  expect(sampleSum(samples, METRICS.remediationOutcomes, { outcome: 'completed', workflowType: 'merchantRemediation', taskQueue: h.taskQueue })).toBe(1);
  expect(sampleSum(samples, METRICS.remediationOutcomes, { outcome: 'failed' })).toBe(0);

  // The latency histogram: one observation per request, in the project's buckets.
  const total = sampleSum(samples, METRICS.moovRequests);
  expect(total).toBeGreaterThanOrEqual(5);
  expect(sampleSum(samples, `${METRICS.moovRequestLatency}_count`)).toBe(total);
  expect(sampleSum(samples, `${METRICS.moovRequestLatency}_sum`)).toBeGreaterThan(0);
  expect(sampleSum(samples, `${METRICS.moovRequestLatency}_bucket`, { ...upload, status: '200', le: '+Inf' })).toBe(1);
  expect(sampleSum(samples, `${METRICS.moovRequestLatency}_bucket`, { ...upload, status: '200', le: '5' })).toBeLessThanOrEqual(1);

  // Temporal's own worker metrics share the endpoint.
  expect(sampleSum(samples, 'temporal_workflow_completed', { workflow_type: 'merchantRemediation' })).toBeGreaterThanOrEqual(1);
  // A 429 is an expected pause (BENIGN): Temporal leaves it out of its failure counter; ours counts it above.
  expect(sampleSum(samples, 'temporal_activity_execution_failed', { activity_type: 'uploadFile' })).toBe(0);
  expect(sampleSum(samples, 'temporal_activity_execution_latency_count', { activity_type: 'uploadFile' })).toBeGreaterThanOrEqual(2);
});

test('a failed remediation is counted as failed', async () => {
  // An account Moov does not know: the link create answers 404, which is not retried.
  const missing = randomUUID();
  const started = await startRemediation(
    h.client,
    { accountID: missing, resolutionLink: { recipient: { email: 'owner@metrics.example' } }, options: { followThrough: false } },
    { taskQueue: h.taskQueue },
  );
  await expect(waitForRemediation(h.client, started.workflowId)).rejects.toThrow();
  const samples = await scrapeUntil((s) => sampleSum(s, METRICS.remediationOutcomes, { outcome: 'failed' }) >= 1);
  expect(sampleSum(samples, METRICS.remediationOutcomes, { outcome: 'failed' })).toBe(1);
  expect(sampleSum(samples, METRICS.moovRequests, { operation: 'createResolutionLink', status: '404' })).toBe(1);
  expect(sampleSum(samples, 'temporal_workflow_failed', { workflow_type: 'merchantRemediation' })).toBe(1);
});

test('a remediation parked for a Moov outage is counted in remediations_waiting_for_moov until Moov is back', async () => {
  const { accountID } = await h.admin.seedAccount({ displayName: 'Outage Yoga LLC', accountType: 'business' });
  await h.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID, fault: { status: 503 }, probability: 1 });
  const started = await startRemediation(
    h.client,
    { accountID, resolutionLink: { recipient: { email: 'owner@metrics.example' } }, options: { followThrough: false } },
    { taskQueue: h.taskQueue },
  );
  // Six attempts (about 7 s of the retry policy), then the call parks: the phase says so.
  const deadline = Date.now() + 60_000;
  while ((await getRemediationStatus(h.client, started.workflowId)).phase !== 'waiting-for-moov' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const counted = async () => {
    for (let count = await h.waitingForMoov.refresh(); Date.now() < deadline; count = await h.waitingForMoov.refresh()) {
      if (count === 1) return count;
      await new Promise((resolve) => setTimeout(resolve, 250)); // visibility is eventually consistent
    }
    return h.waitingForMoov.refresh();
  };
  expect(await counted()).toBe(1);
  const samples = await scrapeUntil((s) => sampleSum(s, METRICS.remediationsWaitingForMoov) === 1);
  expect(sampleSum(samples, METRICS.remediationsWaitingForMoov)).toBe(1);
  // One account's 503s do not open the worker's breaker (it needs three accounts failing).
  expect(sampleSum(samples, METRICS.moovCircuitOpen)).toBe(0);

  await h.client.workflow.getHandle(started.workflowId).terminate('test over');
  await h.admin.call('DELETE', '/_sandbox/faults');
  for (let count = await h.waitingForMoov.refresh(); count !== 0 && Date.now() < deadline; count = await h.waitingForMoov.refresh()) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await h.waitingForMoov.refresh()).toBe(0);
}, 120_000);

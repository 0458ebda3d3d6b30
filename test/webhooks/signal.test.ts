import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { freePort } from '../../src/net/ports';
import { TEMPORAL_DEADLINE_MS } from '../../src/webhooks';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { moovChangedSignalsOnce, runningRemediation } from './support/histories';
import { moovEvent, post, signedDelivery, startTestReceiver, type TestReceiver } from './support/deliveries';

/**
 * The receiver in front of the real Temporal dev server, with a worker running remediations
 * against the Moov sandbox: a valid delivery becomes a moovChanged signal in the remediation's
 * history, answered 2xx only after Temporal took it; no remediation, nothing started; Temporal
 * out of reach, 503 within Moov's 5 seconds.
 */
let h: WorkflowHarness;
let r: TestReceiver;

beforeAll(async () => {
  h = await startWorkflowHarness('dev');
  r = await startTestReceiver({ client: h.env.client, taskQueue: h.taskQueue });
}, 60_000);

afterAll(async () => {
  await r?.close();
  await h?.close();
}, 60_000);

test("a valid delivery signals the account's running remediation: the signal is in its history with Moov's eventID", async () => {
  const accountID = await runningRemediation(h);
  const eventID = randomUUID();
  const answered = await post(r.receiver, signedDelivery({ body: moovEvent('capability.updated', { accountID, capabilityID: 'collect-funds', status: 'pending' }, eventID) }));
  expect(answered).toEqual({ status: 200, body: { outcome: 'signaled' } });

  const signals = await moovChangedSignalsOnce(h.env.client, remediationWorkflowId(accountID), 1);
  expect(signals).toEqual([{ eventID, type: 'capability.updated', createdOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }]);
});

test('Moov retrying the same event (a new nonce) is signalled again; the workflow dedupes by eventID', async () => {
  const accountID = await runningRemediation(h);
  const body = moovEvent('account.updated', { accountID }, randomUUID());
  expect((await post(r.receiver, signedDelivery({ body }))).status).toBe(200);
  expect((await post(r.receiver, signedDelivery({ body }))).status).toBe(200);
  const signals = await moovChangedSignalsOnce(h.env.client, remediationWorkflowId(accountID), 2);
  expect(signals.map((s) => s.eventID)).toEqual([JSON.parse(body).eventID, JSON.parse(body).eventID]);
});

test("the signal carries Moov's createdOn only when it is an RFC 3339 time (the body is a hint)", async () => {
  const accountID = await runningRemediation(h);
  const body = JSON.stringify({ eventID: randomUUID(), type: 'account.updated', data: { accountID, foreignID: 'crm-42' }, createdOn: 'last Tuesday' });
  expect(await post(r.receiver, signedDelivery({ body }))).toEqual({ status: 200, body: { outcome: 'signaled' } });
  const [signal] = await moovChangedSignalsOnce(h.env.client, remediationWorkflowId(accountID), 1);
  expect(signal).toStrictEqual({ eventID: JSON.parse(body).eventID, type: 'account.updated' });
});

test('an account with no remediation: acknowledged, nothing started (WEBHOOK_AUTOSTART off)', async () => {
  const accountID = randomUUID();
  const answered = await post(r.receiver, signedDelivery({ body: moovEvent('representative.created', { accountID, representativeID: randomUUID() }) }));
  expect(answered).toEqual({ status: 200, body: { outcome: 'no-remediation' } });
  await expect(h.env.client.workflow.getHandle(remediationWorkflowId(accountID)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('Temporal out of reach: 503 (Moov retries) within Moov’s 5 s, and the nonce is not spent', async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort('127.0.0.1')}` });
  const unreachable = await startTestReceiver({ client: new Client({ connection }), taskQueue: h.taskQueue });
  try {
    const delivery = signedDelivery({ body: moovEvent('account.updated', { accountID: randomUUID() }) });
    const startedAt = Date.now();
    expect(await post(unreachable.receiver, delivery)).toEqual({ status: 503, body: { error: 'temporal-unavailable' } });
    const elapsedMs = Date.now() - startedAt;
    expect(elapsedMs).toBeLessThan(5_000);
    expect(elapsedMs).toBeLessThan(TEMPORAL_DEADLINE_MS + 500);
    // The same delivery again (Moov's retry may repeat it) is tried again, not refused as a replay.
    expect((await post(unreachable.receiver, delivery)).status).toBe(503);
    const line = unreachable.lines.map((text) => JSON.parse(text)).find((entry) => entry.webhook?.answer === 'temporal-unavailable');
    expect(line).toMatchObject({ level: 'warn', webhook: { status: 503 }, err: expect.anything() });
  } finally {
    await unreachable.close();
    await connection.close();
  }
}, 30_000);

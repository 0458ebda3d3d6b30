import { randomUUID } from 'node:crypto';
import { remediationWorkflowId } from '../../src/domain/workflow-ids';
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-harness';
import { moovChangedSignalsOnce, runningRemediation } from './support/histories';
import { moovEvent, post, signedDelivery, startTestReceiver, type Answered, type Delivery, type TestReceiver } from './support/deliveries';

/**
 * 1,000 deliveries at once to a receiver in front of the real dev server, with ten remediations
 * running: valid ones (some of them Moov's retries of an event, with a fresh nonce), exact copies of
 * valid ones (the same nonce), forgeries, stale timestamps, garbage bodies and missing headers,
 * shuffled and sent 32 at a time. Every valid one is acknowledged, every bad one refused with its
 * status, and the remediations' histories hold exactly one moovChanged signal per acknowledged
 * delivery: nothing lost, nothing doubled.
 */
let h: WorkflowHarness;
let r: TestReceiver;
let accounts: string[];

beforeAll(async () => {
  h = await startWorkflowHarness('dev');
  r = await startTestReceiver({ client: h.env.client, taskQueue: h.taskQueue });
  accounts = await Promise.all(Array.from({ length: 10 }, () => runningRemediation(h)));
}, 60_000);

afterAll(async () => {
  await r?.close();
  await h?.close();
}, 60_000);

type Kind = 'valid' | 'replay' | 'forged' | 'stale' | 'garbage' | 'unsigned';
const EXPECTED: Record<Kind, number | 'once'> = { valid: 200, replay: 'once', forged: 401, stale: 401, garbage: 400, unsigned: 401 };
const TYPES = ['account.updated', 'capability.updated', 'representative.updated'];

interface Planned {
  kind: Kind;
  delivery: Delivery;
  accountID?: string;
  eventID?: string;
}

function plan(): Planned[] {
  const planned: Planned[] = [];
  const valid: Planned[] = [];
  for (let i = 0; i < 500; i++) {
    const accountID = accounts[i % accounts.length]!;
    // Every fifth is Moov retrying an earlier event of the account: same eventID, new nonce.
    const eventID = i >= 50 && i % 5 === 0 ? valid[i - 50]!.eventID! : randomUUID();
    const delivery = signedDelivery({ body: moovEvent(TYPES[i % TYPES.length]!, { accountID }, eventID) });
    valid.push({ kind: 'valid', delivery, accountID, eventID });
  }
  planned.push(...valid);
  // Exact copies: the same nonce as a valid delivery, so one of each group gets through.
  for (let i = 0; i < 150; i++) planned.push({ ...valid[i * 3]!, kind: 'replay' });
  const accountBody = () => moovEvent('account.updated', { accountID: accounts[0]! });
  for (let i = 0; i < 100; i++) planned.push({ kind: 'forged', delivery: signedDelivery({ secret: `whsec_forger_${i}`, body: accountBody() }) });
  for (let i = 0; i < 100; i++) planned.push({ kind: 'stale', delivery: signedDelivery({ timestamp: String(Math.floor(Date.now() / 1000) - 600 - i), body: accountBody() }) });
  for (let i = 0; i < 100; i++) planned.push({ kind: 'garbage', delivery: signedDelivery({ body: i % 2 ? '{"eventID":' : `<xml>${i}</xml>` }) });
  for (let i = 0; i < 50; i++) {
    const { 'x-signature': _dropped, ...headers } = signedDelivery({ body: accountBody() }).headers;
    planned.push({ kind: 'unsigned', delivery: { headers, body: accountBody() } });
  }
  // Shuffled (Fisher–Yates), so replays race their originals.
  for (let i = planned.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [planned[i], planned[j]] = [planned[j]!, planned[i]!];
  }
  return planned;
}

async function sendAll(planned: Planned[], concurrency: number): Promise<Answered[]> {
  const answers: Answered[] = new Array(planned.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < planned.length) {
        const index = next++;
        answers[index] = await post(r.receiver, planned[index]!.delivery);
      }
    }),
  );
  return answers;
}

test('1,000 mixed deliveries: every valid one acknowledged, every bad one refused, one signal per acknowledged delivery', async () => {
  const planned = plan();
  expect(planned).toHaveLength(1000);
  const answers = await sendAll(planned, 32);

  // Refusals by kind, each with its status.
  for (const kind of ['forged', 'stale', 'garbage', 'unsigned'] as const) {
    const statuses = planned.flatMap((p, i) => (p.kind === kind ? [answers[i]!.status] : []));
    expect([kind, new Set(statuses)]).toEqual([kind, new Set([EXPECTED[kind]])]);
  }
  // A valid delivery and its copies: exactly one acknowledged, the others refused as replays.
  const byNonce = new Map<string, number[]>();
  planned.forEach((p, i) => {
    if (p.kind !== 'valid' && p.kind !== 'replay') return;
    const nonce = p.delivery.headers['x-nonce']!;
    byNonce.set(nonce, [...(byNonce.get(nonce) ?? []), answers[i]!.status]);
  });
  expect(byNonce.size).toBe(500);
  for (const statuses of byNonce.values()) expect(statuses.sort()).toEqual([200, ...Array<number>(statuses.length - 1).fill(409)]);
  const acknowledged = planned.filter((_p, i) => answers[i]!.status === 200);
  expect(acknowledged).toHaveLength(500);
  expect(new Set(acknowledged.map((p) => answers[planned.indexOf(p)]!.body.outcome))).toEqual(new Set(['signaled']));

  // The histories: one moovChanged signal per acknowledged delivery, with its eventID, on its account.
  for (const accountID of accounts) {
    const sent = acknowledged.filter((p) => p.accountID === accountID).map((p) => p.eventID!).sort();
    const signalled = (await moovChangedSignalsOnce(h.env.client, remediationWorkflowId(accountID), sent.length)).map((s) => s.eventID).sort();
    expect(signalled).toEqual(sent);
    expect(signalled).toHaveLength(50);
  }
}, 60_000);

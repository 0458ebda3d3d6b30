import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freePort } from '../../src/net/ports';
import { PROJECT_ROOT } from '../../src/temporal-servers/locate';
import { WEBHOOK_PATH } from '../../src/webhooks';
import { eventually } from '../support/eventually';
import { SECRET, moovEvent, signedDelivery } from './support/deliveries';

/**
 * The receiver's entry point as `npm run webhooks` runs it (src/webhooks/main.ts, a child process): a bad
 * setting exits 2 naming the variable and never its value; a running receiver answers, and on
 * SIGTERM finishes the delivery in hand before it exits 0. Temporal is a port where nothing
 * listens: the receiver starts anyway (its connection is lazy) and answers account events 503.
 */
interface Receiver {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startReceiverProcess(vars: Record<string, string>): Receiver {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(MOOV_|TEMPORAL_|WEBHOOK_|METRICS_|LOG_)/.test(name)) delete env[name];
  // tsx as a loader inside one node process: the tsx CLI would stand between the signal and the
  // receiver (it relays SIGTERM to its child, and SIGKILLs a child that does not confirm within 30 ms).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/webhooks/main.ts'], { cwd: PROJECT_ROOT, env: { ...env, ...vars } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

// Each setting's own refusals are in test/config/webhook-config.test.ts; here, that any of them is exit 2.
test.each([
  ['MOOV_WEBHOOK_SECRETS unset', {}, 'MOOV_WEBHOOK_SECRETS is required'],
  ['an empty secret in the list', { MOOV_WEBHOOK_SECRETS: `${SECRET},,whsec_other` }, 'MOOV_WEBHOOK_SECRETS must be a comma-separated list'],
  ['a Temporal address without a port', { MOOV_WEBHOOK_SECRETS: SECRET, TEMPORAL_ADDRESS: 'temporal.internal' }, 'TEMPORAL_ADDRESS must be host:port'],
])('%s: exit 2, the variable named, no secret shown', async (_name, vars, message) => {
  const receiver = startReceiverProcess(vars);
  expect(await receiver.exited).toBe(2);
  expect(receiver.stderr()).toContain(`Invalid configuration: ${message}`);
  expect(receiver.stderr() + receiver.stdout()).not.toContain(SECRET);
}, 30_000);

test('npm run webhooks: listens, answers, and on SIGTERM finishes the delivery in hand, then exits 0', async () => {
  const port = await freePort('127.0.0.1');
  const receiver = startReceiverProcess({
    MOOV_WEBHOOK_SECRETS: `whsec_new_one_1111111111,${SECRET}`,
    WEBHOOK_BIND_ADDRESS: `127.0.0.1:${port}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort('127.0.0.1')}`,
    // The debug line says when a delivery is in hand.
    LOG_LEVEL: 'debug',
  });
  try {
    await eventually('the listening line', async () => (receiver.stdout().includes(`listening on http://127.0.0.1:${port}${WEBHOOK_PATH}`) ? true : undefined), 20_000);
    const url = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
    const ping = signedDelivery();
    expect((await fetch(url, { method: 'POST', headers: ping.headers, body: ping.body })).status).toBe(200);

    // Temporal is out of reach, so this delivery is in hand for up to 4 s: SIGTERM arrives meanwhile.
    const event = signedDelivery({ body: moovEvent('account.updated', { accountID: 'acc-in-hand' }) });
    const inHand = fetch(url, { method: 'POST', headers: event.headers, body: event.body });
    await eventually('the delivery in hand', async () => (receiver.stdout().includes('"accountID":"acc-in-hand"') ? true : undefined));
    receiver.child.kill('SIGTERM');
    expect((await inHand).status).toBe(503);
    expect(await receiver.exited).toBe(0);
    expect(receiver.stdout()).not.toContain(SECRET);
    expect(receiver.stdout()).not.toContain(event.headers['x-signature']);
  } finally {
    receiver.child.kill('SIGKILL');
  }
}, 40_000);

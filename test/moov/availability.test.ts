import { MoovAvailability, MoovError } from '../../src/moov';
import { ANY_ROUTE } from '../../src/sandbox/faults';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { SandboxAdmin } from '../support/sandbox-admin';
import { sandboxMoovClient } from '../support/sandbox-moov-client';

/**
 * The circuit breaker in the real client against the sandbox over loopback, on a clock the test
 * moves: while Moov answers 503 to everything, a burst of calls for many accounts reaches it only
 * until the breaker opens; after that one probe per interval; Moov back, the probe closes it.
 */
let sandbox: SandboxHandle;
let admin: SandboxAdmin;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, rateLimitRps: 0 });
  admin = new SandboxAdmin(sandbox.url);
});
afterAll(() => sandbox.close());

test('a Moov that is down sees the calls that opened the breaker and then one probe per interval, however many calls the worker makes', async () => {
  let now = 0;
  const availability = new MoovAvailability({ failuresToOpen: 10, accountsToOpen: 3, probeIntervalMs: 5_000 }, { now: () => now });
  const moov = sandboxMoovClient(sandbox.url, {}, { availability });
  const accounts = await Promise.all(Array.from({ length: 20 }, async (_, i) => (await admin.seedAccount({ displayName: `Outage ${i}`, accountType: 'business' })).accountID));
  await admin.addFault({ route: ANY_ROUTE, fault: { status: 503 }, probability: 1 });
  const before = (await admin.requests()).length;
  try {
    // 200 calls, one after another over 20 accounts: ten reach Moov, the rest are held back.
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      const err = await moov.listFiles(accounts[i % accounts.length]!).then(() => undefined, (e: unknown) => e);
      outcomes.push(err instanceof MoovError ? `${err.kind}:${err.condition}` : 'ok');
    }
    expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('http:server-error'));
    expect(new Set(outcomes.slice(10))).toEqual(new Set(['held-back:unavailable']));
    expect((await admin.requests()).length - before).toBe(10);

    // Each interval lets one probe through, and it finds Moov still down.
    for (let interval = 1; interval <= 3; interval++) {
      now += 5_000;
      const tries = await Promise.all(accounts.map((id) => moov.listFiles(id).then(() => 'ok', (e: MoovError) => e.kind)));
      expect(tries.filter((kind) => kind === 'http')).toHaveLength(1);
    }
    expect((await admin.requests()).length - before).toBe(13);
    const held = await moov.getAccount(accounts[0]!).catch((e: unknown) => e as MoovError);
    expect(held).toBeInstanceOf(MoovError);
    expect((held as MoovError).message).toBe(
      'getAccount not sent: Moov has failed every call from this worker since 1970-01-01T00:00:00.000Z (circuit breaker open; a probe call checks whether it is back)',
    );

    // Moov is back: the next probe answers and everything goes out again.
    await admin.call('DELETE', '/_sandbox/faults');
    now += 5_000;
    await moov.listFiles(accounts[0]!);
    expect(availability.isOpen).toBe(false);
    await Promise.all(accounts.map((id) => moov.listFiles(id)));
    expect((await admin.requests()).length - before).toBe(13 + 1 + 20);
  } finally {
    await admin.call('DELETE', '/_sandbox/faults');
    await moov.close();
  }
});

test('429s and 4xx are answers: they never open the breaker', async () => {
  const availability = new MoovAvailability({ failuresToOpen: 3, accountsToOpen: 1 });
  const moov = sandboxMoovClient(sandbox.url, {}, { availability });
  const { accountID } = await admin.seedAccount({ displayName: 'Busy', accountType: 'business' });
  await admin.addFault({ route: ANY_ROUTE, accountID, faults: [{ status: 429, headers: { 'Retry-After': '1' } }, { status: 404, body: '' }], probability: 1 });
  try {
    for (let i = 0; i < 10; i++) await moov.listFiles(accountID).catch(() => undefined);
    expect(availability.isOpen).toBe(false);
  } finally {
    await admin.call('DELETE', '/_sandbox/faults');
    await moov.close();
  }
});

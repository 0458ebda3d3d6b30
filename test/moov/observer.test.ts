import { MoovClient, MOOV_OPERATIONS, type MoovExchange } from '../../src/moov';
import { moovError, startHarness, PUBLIC_KEY, SECRET_KEY, type Harness } from './support/harness';

/** The client's onExchange hook: one report per HTTP exchange, never a header or a body. */
let h: Harness;
let seen: MoovExchange[];
const all: MoovExchange[] = [];
let client: MoovClient;

beforeAll(async () => {
  h = await startHarness();
  client = new MoovClient(h.config, {
    onExchange: (exchange) => {
      seen.push(exchange);
      all.push(exchange);
    },
  });
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  await client?.close();
  await h?.stop();
});

test('a success reports operation, method, route template, status, duration and request id', async () => {
  const accountID = await h.merchant();
  const { requestId } = await client.listCapabilities(accountID);
  expect(seen).toEqual([
    {
      operation: 'listCapabilities',
      method: 'GET',
      route: '/accounts/{accountID}/capabilities',
      status: 200,
      durationMs: expect.any(Number),
      requestId,
    },
  ]);
  expect(seen[0]!.durationMs).toBeGreaterThan(0);
  expect(JSON.stringify(seen)).not.toContain(accountID);
});

test('a 429 reports the wait hint and errorKind http; the MoovError is unchanged', async () => {
  const accountID = await h.merchant();
  await h.addFault({ route: 'GET /accounts/:accountID', accountID, fault: { status: 429, headers: { 'x-retry-in': '750' } }, times: 1 });
  const err = await moovError(client.getAccount(accountID));
  expect(err).toMatchObject({ status: 429, retryAfterMs: 750 });
  expect(seen).toEqual([expect.objectContaining({ operation: 'getAccount', route: '/accounts/{accountID}', status: 429, retryAfterMs: 750, errorKind: 'http', requestId: err.requestId })]);
});

test('a connection reset reports no status and errorKind network', async () => {
  const accountID = await h.merchant();
  await h.addFault({ route: 'GET /accounts/:accountID/files', accountID, fault: { reset: true }, times: 1 });
  await moovError(client.listFiles(accountID));
  expect(seen).toEqual([expect.objectContaining({ operation: 'listFiles', errorKind: 'network' })]);
  expect(seen[0]!.status).toBeUndefined();
});

test('invalid input sends nothing and reports nothing', async () => {
  await moovError(client.getAccount('../etc'));
  expect(seen).toEqual([]);
});

test('an observer that throws does not change the outcome of the call', async () => {
  const throwing = new MoovClient(h.config, {
    onExchange: () => {
      throw new Error('observer broke');
    },
  });
  try {
    const accountID = await h.merchant();
    await expect(throwing.getAccount(accountID)).resolves.toMatchObject({ status: 200 });
  } finally {
    await throwing.close();
  }
});

test('no credential reaches the observer and every client operation has a route template', () => {
  expect(all.length).toBeGreaterThanOrEqual(3);
  expect(JSON.stringify(all)).not.toMatch(new RegExp(`${PUBLIC_KEY}|${SECRET_KEY}|Basic`));
  // uploadFileStream sends the uploadFile operation from a stream (object storage) instead of a path.
  const sameOperation: Record<string, string> = { uploadFileStream: 'uploadFile' };
  const methods = Object.getOwnPropertyNames(MoovClient.prototype).filter((name) => !['constructor', 'close', 'toJSON', 'longestRequestMs'].includes(name));
  const operations = [...new Set(methods.map((name) => sameOperation[name] ?? name))];
  expect(operations.sort()).toEqual(Object.keys(MOOV_OPERATIONS).sort());
});

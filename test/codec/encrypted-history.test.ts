import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { connectClient, failureMessage, getRemediationStatus, markRemediationResolved, startRemediation } from '../../src/client';
import {
  AesGcmCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  UnknownEncryptionKeyError,
  createKeyring,
  encryptedDataConverter,
  payloadFromJSON,
  type JSONPayload,
  startCodecServer,
  type CodecKeyring,
  type CodecServerHandle,
} from '../../src/codec';
import { REMEDIATION_PHASES, type RemediationPhase, type RemediationStatus } from '../../src/domain/remediation-status';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT } from '../../src/domain/search-attributes';
import type { MoovClient } from '../../src/moov';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { ensureServers } from '../../src/temporal-servers/install';
import { createRemediationWorker } from '../../src/worker';
import { SAMPLE_FILES, makeFilesRoot } from '../support/demo-files';
import { SandboxAdmin } from '../support/sandbox-admin';
import { createDevServerEnv } from '../support/temporal-env';
import { sandboxMoovClient } from '../support/sandbox-moov-client';
import { PATCHES } from '../../src/workflows/patches';

/**
 * Encryption on a real Temporal dev server: a worker and a client with the codec run a real
 * remediation against the sandbox; the history the server stores, read by a client without the
 * codec, holds none of the merchant's data; the codec server decodes it for the UI; and a key
 * rotation in the middle of a running remediation loses nothing.
 */

jest.setTimeout(180_000);

const execFileAsync = promisify(execFile);

// Distinctive values, each of which must never be readable in the server's history.
const EMAIL = 'ada.lovelace@secret-merchant.test';
const PHONE = { number: '5558675309', countryCode: '1' };
const FILE_DIR = 'kyc-ada-lovelace';
const FILES = [
  {
    path: `${FILE_DIR}/ada-lovelace-passport.pdf`,
    fileName: 'ada-passport-scan.pdf',
    filePurpose: 'identity_verification' as const,
    metadata: { requirement_id: 'document.individual.verification', comment: 'Passport of Ada Lovelace, expires 2031' },
  },
  {
    path: `${FILE_DIR}/lovelace-utility-bill.png`,
    filePurpose: 'business_verification' as const,
    metadata: { comment: 'Utility bill, 12 Analytical Engine Lane' },
  },
];
const PAYMENT_LINK_TITLE = 'Lovelace private tutoring';
const SECRETS = [
  EMAIL,
  'ada.lovelace',
  PHONE.number,
  FILE_DIR,
  'ada-lovelace-passport',
  'ada-passport-scan',
  'lovelace-utility-bill',
  'document.individual.verification',
  'Passport of Ada Lovelace',
  'Analytical Engine Lane',
  PAYMENT_LINK_TITLE,
];

const OLD_KEY_ID = '2025-q4';
const NEW_KEY_ID = '2026-q1';
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const oldKeys = createKeyring(OLD_KEY_ID, { [OLD_KEY_ID]: OLD_KEY });
const rotatedKeys = createKeyring(NEW_KEY_ID, { [OLD_KEY_ID]: OLD_KEY, [NEW_KEY_ID]: NEW_KEY });
const TOKEN = randomBytes(24).toString('hex');
const UI_ORIGIN = 'http://localhost:8233';

let env: TestWorkflowEnvironment;
let sandbox: SandboxHandle;
let admin: SandboxAdmin;
let moov: MoovClient;
let filesRoot: string;
let namespace: string;
let codecServer: CodecServerHandle;
const taskQueue = `codec-test-${randomUUID()}`;
const running: { worker: Worker; done: Promise<void> }[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  env = await createDevServerEnv();
  namespace = env.namespace ?? 'default';
  sandbox = await startSandbox({ port: 0, rateLimitRps: 0 });
  admin = new SandboxAdmin(sandbox.url);
  moov = sandboxMoovClient(sandbox.url);
  filesRoot = await makeFilesRoot();
  await startWorker(oldKeys);
  codecServer = await startCodecServer({ codec: new AesGcmCodec(rotatedKeys), token: TOKEN, corsOrigins: [UI_ORIGIN], port: 0 });
});

afterAll(async () => {
  await stopWorkers();
  await codecServer?.close();
  await Promise.all(clients.map((c) => c.connection.close()));
  await moov?.close();
  await sandbox?.close();
  await env?.teardown();
  if (filesRoot) await rm(filesRoot, { recursive: true, force: true });
});

async function startWorker(keyring: CodecKeyring): Promise<void> {
  const worker = await createRemediationWorker({
    connection: env.nativeConnection,
    namespace,
    taskQueue,
    moov,
    filesRoot,
    dataConverter: encryptedDataConverter(keyring),
  });
  running.push({ worker, done: worker.run() });
}

async function stopWorkers(): Promise<void> {
  for (const { worker, done } of running.splice(0)) {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await done;
  }
}

/** The project's own client API, connected with the given codec (or `{}`: none). */
async function client(dataConverter: ReturnType<typeof encryptedDataConverter> | Record<string, never>): Promise<Client> {
  const c = await connectClient({ address: env.address, namespace, taskQueue }, dataConverter);
  clients.push(c);
  return c;
}

async function seedMerchant(): Promise<{ accountID: string; principalAccountID: string; paymentLinkCode: string }> {
  const { accountID } = await admin.seedAccount({
    displayName: 'Analytical Engines LLC',
    accountType: 'business',
    email: EMAIL,
    capabilities: [
      {
        capability: 'collect-funds',
        status: 'pending',
        requirements: { currentlyDue: ['document.business.verification'], errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] },
      },
    ],
  });
  const { accountID: principalAccountID } = await admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' });
  const { code } = await admin.seedPaymentLink(accountID);
  // FILES_LAYOUT=per-account: the merchant's documents are in FILES_ROOT/<accountID>/.
  const merchantFiles = path.join(filesRoot, accountID);
  await mkdir(path.join(merchantFiles, FILE_DIR), { recursive: true });
  await writeFile(path.join(merchantFiles, FILES[0]!.path), SAMPLE_FILES['passport.pdf']!);
  await writeFile(path.join(merchantFiles, FILES[1]!.path), SAMPLE_FILES['utility-bill.png']!);
  return { accountID, principalAccountID, paymentLinkCode: code };
}

/** The history as the Temporal server stores and serves it, read by a client that has no codec. */
async function storedHistory(workflowId: string): Promise<{ json: string; payloads: { path: string; payload: JSONPayload }[] }> {
  const plain = await client({});
  const history = await plain.workflow.getHandle(workflowId).fetchHistory();
  // protobufjs messages serialize with bytes as base64, as proto JSON does.
  const json = JSON.stringify(history);
  const payloads: { path: string; payload: JSONPayload }[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (obj.metadata && typeof obj.metadata === 'object' && 'encoding' in (obj.metadata as object)) {
        payloads.push({ path: at, payload: obj as JSONPayload });
        return;
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${at}.${k}`);
    }
  };
  walk(JSON.parse(json), '$');
  return { json, payloads };
}

/**
 * Everything readable in the history JSON: the JSON itself, plus every base64 string in it
 * decoded (plaintext payloads are base64 in proto JSON, so a bare `toContain` would prove nothing).
 */
function readableText(json: string): string {
  const decoded: string[] = [];
  JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
      decoded.push(Buffer.from(value, 'base64').toString('latin1'));
    }
    return value;
  });
  return [json, ...decoded].join('\n');
}

const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

/** Search attributes are indexed by the server in the clear, by design: never encoded by codecs. */
const isSearchAttribute = (at: string) => at.includes('.searchAttributes.indexedFields.');
/** Core SDK's patch markers (docs/deploying.md) carry only the patch id, never through the codec. */
const isPatchMarker = (at: string) => at.includes('.markerRecordedEventAttributes.details.patch-data.');
const isCodecPayload = (at: string) => !isSearchAttribute(at) && !isPatchMarker(at);

async function waitForPhase(c: Client, workflowId: string, phase: RemediationPhase): Promise<RemediationStatus> {
  const deadline = Date.now() + 60_000;
  let last: RemediationStatus | undefined;
  while (Date.now() < deadline) {
    try {
      last = await getRemediationStatus(c, workflowId);
      if (last.phase === phase) return last;
    } catch {
      // first workflow task not processed yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never reached ${phase}; last: ${JSON.stringify(last)}`);
}

let firstWorkflowId: string;
let firstHistory: Awaited<ReturnType<typeof storedHistory>>;

test('a remediation with encryption on: the stored history holds no merchant data in the clear; the codec client reads the result', async () => {
  const encrypted = await client(encryptedDataConverter(oldKeys));
  const { accountID, principalAccountID, paymentLinkCode } = await seedMerchant();

  const started = await startRemediation(
    encrypted,
    {
      accountID,
      files: FILES,
      resolutionLink: { recipient: { email: EMAIL } },
      connection: { principalAccountID, allowScopes: ['accounts.read'] },
      paymentLinks: [{ code: paymentLinkCode, update: { display: { title: PAYMENT_LINK_TITLE } } }],
      options: { followThrough: false },
    },
    { taskQueue },
  );
  expect(started.started).toBe(true); // the memo (encrypted) round-tripped through describe()
  firstWorkflowId = started.workflowId;

  // The client with the codec reads everything normally.
  const result = await started.handle.result();
  expect(result.phase).toBe('completed');
  expect(result.files.map((f) => [f.path, f.fileName, f.state])).toEqual([
    [FILES[0]!.path, 'ada-passport-scan.pdf', 'uploaded'],
    [FILES[1]!.path, 'lovelace-utility-bill.png', 'uploaded'],
  ]);
  expect(result.resolutionLink).toMatchObject({ outcome: 'created', status: 'active' });
  expect(result.paymentLinks).toEqual([expect.objectContaining({ code: paymentLinkCode, state: 'updated' })]);
  const description = await started.handle.describe();
  expect(await description.staticSummary()).toBe(`Moov remediation for account ${accountID}`);
  // Moov really got the data: the sandbox saw the email and the file names.
  const state = await admin.state(accountID);
  expect(state.resolutionLinks[0]!.recipient).toBe(EMAIL);
  expect(state.files.map((f) => f.fileName).sort()).toEqual(['ada-passport-scan.pdf', 'lovelace-utility-bill.png']);

  // What the server stores, fetched without the codec.
  firstHistory = await storedHistory(started.workflowId);
  const stored = readableText(firstHistory.json);
  expect(SECRETS.filter((secret) => stored.includes(secret))).toEqual([]);

  // Every payload is encrypted under the current key, except search attributes (readable by design).
  const searchAttributes = firstHistory.payloads.filter((p) => isSearchAttribute(p.path));
  const others = firstHistory.payloads.filter((p) => isCodecPayload(p.path));
  const patchMarkers = firstHistory.payloads.filter((p) => isPatchMarker(p.path));
  for (const { payload } of patchMarkers) {
    expect(Object.keys(defaultPayloadConverter.fromPayload<Record<string, unknown>>(payloadFromJSON(payload))).sort()).toEqual(['deprecated', 'id']);
  }
  expect(others.length).toBeGreaterThan(10); // input, activity inputs/results, memo, summary, result…
  for (const { payload } of others) {
    expect(text(payload.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
    expect(text(payload.metadata![KEY_ID_METADATA]!)).toBe(OLD_KEY_ID);
  }
  // RemediationPhaseChangedAt holds only when each phase was set.
  const isPhaseTime = (at: string) => at.endsWith(`.indexedFields.${REMEDIATION_PHASE_CHANGED_AT.name}`);
  const phaseTimes = searchAttributes.filter((p) => isPhaseTime(p.path)).map((p) => defaultPayloadConverter.fromPayload<string>(payloadFromJSON(p.payload)));
  expect(phaseTimes.length).toBeGreaterThan(0);
  for (const time of phaseTimes) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const indexed = searchAttributes
    .filter((p) => !isPhaseTime(p.path))
    .flatMap((p) => [defaultPayloadConverter.fromPayload<string | string[]>(payloadFromJSON(p.payload))].flat());
  expect(indexed).toContain(accountID);
  expect(indexed).toContain('completed');
  // Besides ours, Temporal's TemporalChangeVersion lists the patch ids the run took (docs/deploying.md).
  for (const value of indexed) expect([accountID, ...REMEDIATION_PHASES, ...Object.values(PATCHES)]).toContain(value);
  expect(description.typedSearchAttributes.get(MOOV_ACCOUNT_ID)).toBe(accountID);
  expect(description.typedSearchAttributes.get(REMEDIATION_PHASE)).toBe('completed');

  // Control: the same inspection of the decrypted payloads finds every secret, so the check above can fail.
  const decrypted = await new AesGcmCodec(oldKeys).decode(others.map((p) => payloadFromJSON(p.payload)));
  const clear = decrypted.map((p: Payload) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  expect(SECRETS.filter((secret) => secret !== PHONE.number && !clear.includes(secret))).toEqual([]);
});

test('failure messages are encrypted too: a missing file fails the workflow, and its path is readable only with the codec', async () => {
  const encrypted = await client(encryptedDataConverter(oldKeys));
  const { accountID } = await seedMerchant();
  const missing = `${FILE_DIR}/ada-missing-birth-certificate.pdf`;
  const started = await startRemediation(encrypted, { accountID, files: [{ path: missing, filePurpose: 'identity_verification' }] }, { taskQueue });

  const err = await started.handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failureMessage(err)).toContain(`files: ${missing} cannot be read`); // the codec client reads the message

  const { json } = await storedHistory(started.workflowId);
  const stored = readableText(json);
  expect(stored).not.toContain('ada-missing-birth-certificate');
  expect(stored).not.toContain(FILE_DIR);
  expect(stored).toContain('InvalidRemediationInput'); // the failure type stays readable (retry policies use it)
  expect(stored).toContain('Encoded failure'); // what the UI shows without the codec server
});

describe('codec server (the Temporal UI protocol), on payloads from that history', () => {
  const encryptedPayloads = () => firstHistory.payloads.filter((p) => isCodecPayload(p.path)).map((p) => p.payload);

  async function post(pathname: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${codecServer.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': namespace, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as { payloads?: JSONPayload[]; error?: string } };
  }

  test('an authorised caller gets the payloads decoded (bearer header, or the token as the path segment the UI can carry)', async () => {
    const payloads = encryptedPayloads();
    for (const [pathname, headers] of [
      ['/decode', { authorization: `Bearer ${TOKEN}` }],
      [`/${TOKEN}/decode`, {}],
    ] as const) {
      const res = await post(pathname, { payloads }, headers);
      expect(res.status).toBe(200);
      expect(res.body.payloads).toHaveLength(payloads.length);
      for (const p of res.body.payloads!) expect(text(p.metadata!.encoding!)).toMatch(/^(json\/plain|binary\/null)$/);
      const clear = res.body.payloads!.map((p) => text(p.data ?? undefined)).join('\n');
      expect(clear).toContain(EMAIL);
      expect(clear).toContain('ada-passport-scan.pdf');
      expect(clear).toContain('Passport of Ada Lovelace');
    }
  });

  test('the Temporal CLI, as a real protocol client, shows the history decoded through the codec server', async () => {
    const { 'dev-server': cli } = await ensureServers(['dev-server']);
    if (cli.source === 'sdk-download') return; // no CLI executable to drive (never the case after global setup)
    const show = (...codec: string[]) =>
      execFileAsync(cli.path, ['workflow', 'show', '-w', firstWorkflowId, '--address', env.address, '--namespace', namespace, '--output', 'json', ...codec], {
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, TEMPORAL_CONFIG_FILE: '/nonexistent' },
      });
    const decoded = await show('--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${TOKEN}`);
    // JSON output keeps payload data base64; readableText decodes it.
    expect(readableText(decoded.stdout)).toContain(EMAIL);
    expect(readableText(decoded.stdout)).toContain('Passport of Ada Lovelace');
    expect(readableText(decoded.stdout)).not.toContain(ENCRYPTED_ENCODING);
    const plain = await show();
    expect(readableText(plain.stdout)).not.toContain(EMAIL);
    expect(readableText(plain.stdout)).toContain(ENCRYPTED_ENCODING);
  });

  test('encode then decode round trips (the UI encodes signal and update input this way)', async () => {
    const input = [defaultPayloadConverter.toPayload({ note: 'merchant called' })].map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    }));
    const encoded = await post('/encode', { payloads: input }, { authorization: `Bearer ${TOKEN}` });
    expect(encoded.status).toBe(200);
    expect(text(encoded.body.payloads![0]!.metadata![KEY_ID_METADATA]!)).toBe(NEW_KEY_ID);
    const decoded = await post('/decode', encoded.body, { authorization: `Bearer ${TOKEN}` });
    expect(decoded.body.payloads).toEqual(input);
  });

  test('401 for a missing or wrong token, whether in the header or the path; nothing decoded', async () => {
    const payloads = encryptedPayloads().slice(0, 1);
    for (const [pathname, headers] of [
      ['/decode', {}],
      ['/decode', { authorization: `Bearer ${TOKEN}x` }],
      ['/decode', { authorization: TOKEN }],
      ['/decode', { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }],
      [`/${TOKEN.slice(1)}/decode`, {}],
      ['/encode', {}],
    ] as [string, Record<string, string>][]) {
      const res = await post(pathname, { payloads }, headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).toEqual({ error: 'missing or wrong token' });
    }
  });

  test('CORS: the preflight is answered without a token; responses carry the UI origin; other origins get none', async () => {
    const preflight = await request(`${codecServer.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,x-namespace' },
    });
    await preflight.body.dump();
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers']).split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);

    const ok = await post('/decode', { payloads: encryptedPayloads().slice(0, 1) }, { origin: UI_ORIGIN, authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(ok.headers.vary).toBe('Origin');
    // The browser can read the 401 too, so the UI can say why.
    const denied = await post('/decode', { payloads: [] }, { origin: UI_ORIGIN });
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe(UI_ORIGIN);

    const foreign = await post('/decode', { payloads: [] }, { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('bad requests are 400 with a reason; an unknown key id is named, never a key', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const notJson = await request(`${codecServer.url}/decode`, { method: 'POST', headers: auth, body: '{"payloads": [' });
    expect(notJson.statusCode).toBe(400);
    expect(await notJson.body.json()).toEqual({ error: 'body is not valid JSON' });
    expect((await post('/decode', { nope: [] }, auth)).status).toBe(400);

    const [foreign] = await new AesGcmCodec(createKeyring('someone-else', { 'someone-else': randomBytes(32) })).encode([defaultPayloadConverter.toPayload('x')]);
    const res = await post('/decode', { payloads: [{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING).toString('base64'), [KEY_ID_METADATA]: Buffer.from('someone-else').toString('base64') }, data: Buffer.from(foreign!.data!).toString('base64') }] }, auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(`decode failed: payload is encrypted with key id "someone-else", which this codec does not have (it has: ${OLD_KEY_ID}, ${NEW_KEY_ID})`);
    for (const key of [OLD_KEY, NEW_KEY]) expect(JSON.stringify(res.body)).not.toContain(key);

    const wrongRoute = await request(`${codecServer.url}/${TOKEN}/decrypt`, { method: 'POST', body: '{}' });
    expect(wrongRoute.statusCode).toBe(404);
    await wrongRoute.body.dump();
  });
});

test('key rotation mid-remediation: history under the old key stays readable with {old, new}, new events use the new key', async () => {
  const withOldKey = await client(encryptedDataConverter(oldKeys));
  const withRotatedKeys = await client(encryptedDataConverter(rotatedKeys));
  const { accountID } = await seedMerchant();
  const started = await startRemediation(
    withOldKey,
    { accountID, files: [FILES[0]!], resolutionLink: { recipient: { phone: PHONE } }, options: { followThrough: true } },
    { taskQueue },
  );
  await waitForPhase(withOldKey, started.workflowId, 'awaiting-merchant');

  // Rotate: the worker restarts with both keys, the new one current; clients likewise.
  await stopWorkers();
  await startWorker(rotatedKeys);
  const resolved = await markRemediationResolved(withRotatedKeys, accountID, 'merchant fixed it on the phone'); // replays old-key history
  expect(resolved.phase).toBe('resolved');
  const result = await withRotatedKeys.workflow.getHandle(started.workflowId).result();
  expect(result.phase).toBe('resolved');
  expect(result.files[0]).toMatchObject({ fileName: 'ada-passport-scan.pdf', state: 'uploaded' });

  // The first remediation, entirely under the old key, is still readable after the rotation.
  expect((await withRotatedKeys.workflow.getHandle(firstWorkflowId).result()).phase).toBe('completed');

  const { json, payloads } = await storedHistory(started.workflowId);
  const keyIds = new Set(payloads.filter((p) => isCodecPayload(p.path)).map((p) => text(p.payload.metadata![KEY_ID_METADATA]!)));
  expect(keyIds).toEqual(new Set([OLD_KEY_ID, NEW_KEY_ID]));
  const stored = readableText(json);
  expect(SECRETS.filter((secret) => stored.includes(secret))).toEqual([]);

  // The codec server (configured {old, new}) decodes the whole mixed history.
  const res = await request(`${codecServer.url}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ payloads: payloads.map((p) => p.payload) }),
  });
  expect(res.statusCode).toBe(200);
  const decoded = (await res.body.json()) as { payloads: JSONPayload[] };
  expect(decoded.payloads.map((p) => text(p.data ?? undefined)).join('\n')).toContain(PHONE.number);

  // Dropping the old key too early makes that history unreadable, and the error says which key is missing.
  const newOnly = new AesGcmCodec(createKeyring(NEW_KEY_ID, { [NEW_KEY_ID]: NEW_KEY }));
  await expect(newOnly.decode(payloads.map((p) => payloadFromJSON(p.payload)))).rejects.toThrow(
    new UnknownEncryptionKeyError(OLD_KEY_ID, [NEW_KEY_ID]).message,
  );
});

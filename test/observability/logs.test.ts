import { startRemediation, waitForRemediation } from '../../src/client';
import { startObservedWorker, type ObservedWorker } from '../support/observed-worker';
import { writeAccountFiles } from '../support/demo-files';

/**
 * The worker's log output for real remediations (dev server, sandbox, worker wired as
 * `npm run worker` wires it): every line is JSON with the fields an operator searches by, and no
 * line carries a credential or the merchant's contact details.
 */
const PUBLIC_KEY = 'pk_live_LOGS_PUBLIC_a41c9e';
const SECRET_KEY = 'sk_live_LOGS_SECRET_7d02bf';
const RECIPIENT_EMAIL = 'jane.merchant@logs-private.example';
const RECIPIENT_PHONE = '5557778899';
const ACCOUNT_EMAIL = 'profile-owner@logs-private.example';
const ACCOUNT_PHONE = '5553332211';

let h: ObservedWorker;
let lines: string[];
let entries: Record<string, unknown>[];
let accounts: { email: string; phone: string; principal: string };

beforeAll(async () => {
  h = await startObservedWorker({ credentials: { publicKey: PUBLIC_KEY, secretKey: SECRET_KEY } });
  const seed = (displayName: string) =>
    h.admin.seedAccount({ displayName, accountType: 'business', email: ACCOUNT_EMAIL, phone: { number: ACCOUNT_PHONE, countryCode: '1' } });
  accounts = {
    email: (await seed('Email Yoga LLC')).accountID,
    phone: (await seed('Phone Pilates LLC')).accountID,
    principal: (await h.admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' })).accountID,
  };
  await writeAccountFiles(h.filesRoot, accounts.email);
  const { code } = await h.admin.seedPaymentLink(accounts.email, { amount: { value: 2500 } });
  // One 429 on the link create: a retry, a wait hint and an "Activity failed" warning get logged too.
  await h.admin.addFault({
    route: 'POST /accounts/:accountID/resolution-links',
    accountID: accounts.email,
    sequence: [{ status: 429, headers: { 'retry-after-ms': '300' } }],
  });

  const byEmail = await startRemediation(
    h.client,
    {
      accountID: accounts.email,
      files: [{ path: 'passport.pdf', filePurpose: 'identity_verification', metadata: { requirement_id: 'document.individual.verification' } }],
      resolutionLink: { recipient: { email: RECIPIENT_EMAIL } },
      connection: { principalAccountID: accounts.principal, allowScopes: ['accounts.read'] },
      paymentLinks: [{ code, update: { display: { title: 'Morning class' } } }],
      options: { followThrough: false },
    },
    { taskQueue: h.taskQueue },
  );
  // Follow-through on: the merchant has no open requirements, so it ends resolved at the first check.
  const byPhone = await startRemediation(
    h.client,
    { accountID: accounts.phone, resolutionLink: { recipient: { phone: { number: RECIPIENT_PHONE, countryCode: '1' } } } },
    { taskQueue: h.taskQueue },
  );
  expect((await waitForRemediation(h.client, byEmail.workflowId)).phase).toBe('completed');
  expect((await waitForRemediation(h.client, byPhone.workflowId)).phase).toBe('resolved');
  await h.close();
  lines = h.lines;
  entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}, 180_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

const activityLines = (type?: string) => entries.filter((e) => e.sdkComponent === 'activity' && (type === undefined || e.activityType === type));
const moovLines = () => activityLines().filter((e) => e.moovOperation !== undefined);

test('every line is one JSON object with a string level, ISO time and a message', () => {
  expect(lines.length).toBeGreaterThan(20);
  for (const entry of entries) {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(entry.level);
    expect(typeof entry.time === 'string' && !Number.isNaN(Date.parse(entry.time))).toBe(true);
    expect(typeof entry.msg).toBe('string');
  }
});

test('no line carries a Moov credential or the merchant contact details', () => {
  const basic = Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64');
  for (const secret of [SECRET_KEY, PUBLIC_KEY, basic, RECIPIENT_EMAIL, RECIPIENT_PHONE, ACCOUNT_EMAIL, ACCOUNT_PHONE, 'logs-private']) {
    const leaks = lines.filter((line) => line.includes(secret));
    expect({ secret, leaks }).toEqual({ secret, leaks: [] });
  }
  // Nor the activity task token (whoever holds it can complete the activity).
  expect(entries.filter((e) => 'taskToken' in e)).toEqual([]);
});

test('each Moov exchange is an activity line with workflow, run, account, activity, attempt and Moov request id', () => {
  const exchanges = moovLines();
  const operations = new Set(exchanges.map((e) => e.moovOperation));
  for (const op of ['listFiles', 'uploadFile', 'createResolutionLink', 'shareConnection', 'updatePaymentLink', 'listCapabilities']) {
    expect(operations).toContain(op);
  }
  for (const e of exchanges) {
    expect(e).toEqual(
      expect.objectContaining({
        workflowId: expect.stringMatching(/^remediation-/),
        runId: expect.any(String),
        accountID: expect.stringMatching(new RegExp(`^(${accounts.email}|${accounts.phone})$`)),
        activityType: expect.any(String),
        attempt: expect.any(Number),
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
        method: expect.any(String),
        route: expect.stringMatching(/^\/accounts/),
        status: expect.any(Number),
        durationMs: expect.any(Number),
      }),
    );
    expect(e.workflowId).toBe(`remediation-${e.accountID}`);
  }
});

test('the 429 is logged with its wait hint and the retry with attempt 2; as an expected pause (BENIGN) it is no warning', () => {
  const creates = activityLines('createResolutionLink').filter((e) => e.moovOperation === 'createResolutionLink' && e.accountID === accounts.email);
  expect(creates.map((e) => [e.status, e.attempt])).toEqual([
    [429, 1],
    [200, 2],
  ]);
  expect(creates[0]).toMatchObject({ level: 'info', retryAfterMs: 300, errorKind: 'http' });
  expect(activityLines('createResolutionLink')).toContainEqual(
    expect.objectContaining({ msg: expect.stringContaining("Moov's wait hint of 300 ms"), accountID: accounts.email, attempt: 1 }),
  );
  // The SDK logs a BENIGN failure at debug, not as a warning (docs.temporal.io/references/failures).
  const warned = entries.filter((e) => e.msg === 'Activity failed' && e.activityType === 'createResolutionLink' && e.level !== 'debug');
  expect(warned).toEqual([]);
});

test("the activities' own lines and the workflow's phase and outcome lines carry their ids", () => {
  expect(activityLines('uploadFile')).toContainEqual(expect.objectContaining({ msg: 'file uploaded', accountID: accounts.email, requestId: expect.any(String) }));
  expect(activityLines('shareConnection')).toContainEqual(expect.objectContaining({ msg: 'connection shared', accountID: accounts.email }));
  const workflow = entries.filter((e) => e.sdkComponent === 'workflow');
  for (const [accountID, outcome] of [
    [accounts.email, 'completed'],
    [accounts.phone, 'resolved'],
  ] as const) {
    expect(workflow).toContainEqual(
      expect.objectContaining({
        msg: `remediation ${outcome}`,
        outcome,
        accountID,
        workflowId: `remediation-${accountID}`,
        runId: expect.any(String),
        workflowType: 'merchantRemediation',
      }),
    );
    expect(workflow).toContainEqual(expect.objectContaining({ msg: 'remediation phase creating-link', accountID, phase: 'creating-link' }));
  }
});

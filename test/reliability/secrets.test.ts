import { WorkflowFailedError } from '@temporalio/client';
import { failureMessage, startRemediation } from '../../src/client';
import { statusQuery } from '../../src/workflows/definitions';
import { startObservedWorker, type ObservedWorker } from '../support/observed-worker';
import { writeAccountFiles } from '../support/demo-files';

/**
 * Moov keys live only in the worker's environment. After successful and failing remediations
 * (a 401, a 422 and a 5xx answer from Moov), look everywhere they could leak: workflow history,
 * the worker's logs, the errors callers see, and what Moov (the sandbox) recorded.
 */
const credentials = { publicKey: 'pk_live_9QzXr41PublicKeyMarker', secretKey: 'sk_live_7LmW2SecretKeyMarker0' };
const basicToken = Buffer.from(`${credentials.publicKey}:${credentials.secretKey}`).toString('base64');
const SECRETS = [credentials.publicKey, credentials.secretKey, basicToken];

let w: ObservedWorker;
beforeAll(async () => {
  w = await startObservedWorker({ credentials });
});
afterAll(async () => {
  await w?.close();
});

/**
 * History as text plus every payload's bytes decoded (the proto JSON carries them as base64),
 * so a key inside a payload would show.
 */
function historyText(history: unknown): string {
  const json = JSON.stringify(history);
  const decoded = [...json.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  return [json, ...decoded].join('\n');
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`${where} contains a Moov credential`);
  }
}

test('Moov keys appear in no history, log line, error or Moov-side request log', async () => {
  const { accountID } = await w.admin.seedAccount({ displayName: 'Secret Co', email: 'owner@secret.test' });
  await writeAccountFiles(w.filesRoot, accountID);
  const { accountID: principal } = await w.admin.seedAccount({ displayName: 'Partner' });
  // A refused attempt and its retry (a 429: a 5xx would make the retry wait out the upload's
  // landing time, minutes of real time on the dev server).
  await w.admin.addFault({ route: 'POST /accounts/:accountID/files', accountID, sequence: [{ status: 429, headers: { 'Retry-After': '1' } }] });
  const ok = await startRemediation(
    w.client,
    {
      accountID,
      files: [{ path: 'passport.pdf', filePurpose: 'identity_verification' }],
      resolutionLink: { recipient: { email: 'owner@secret.test' } },
      connection: { principalAccountID: principal },
      options: { followThrough: false },
    },
    { taskQueue: w.taskQueue },
  );
  await ok.handle.result();

  const failures: string[] = [];
  for (const status of [401, 422]) {
    const { accountID: failing } = await w.admin.seedAccount({ displayName: `Failing ${status}`, email: `f${status}@secret.test` });
    await w.admin.addFault({ route: 'POST /accounts/:accountID/resolution-links', accountID: failing, sequence: [{ status, body: status === 422 ? { email: 'invalid' } : undefined }] });
    const started = await startRemediation(
      w.client,
      { accountID: failing, resolutionLink: { recipient: { email: `f${status}@secret.test` } }, options: { followThrough: false } },
      { taskQueue: w.taskQueue },
    );
    const err = await started.handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    failures.push(failureMessage(err), (err as Error).stack ?? '', JSON.stringify(await started.handle.query(statusQuery)));
    expectNoSecret(`history of ${started.workflowId}`, historyText(await started.handle.fetchHistory()));
  }
  // The 401 message must still tell the operator which settings to check.
  expect(failures.join('\n')).toMatch(/MOOV_PUBLIC_KEY|MOOV_ACCESS_TOKEN/);

  const okHistory = historyText(await ok.handle.fetchHistory());
  // Control: payloads are decoded here (the input's recipient is visible), so a leaked key would be too.
  expect(okHistory).toContain('owner@secret.test');
  expectNoSecret('the successful history', okHistory);
  expectNoSecret('errors and status', failures.join('\n'));
  w.flushLogs();
  expect(w.lines.length).toBeGreaterThan(10);
  expectNoSecret('worker logs', w.lines.join('\n'));
  const moovSide = await w.admin.call('GET', '/_sandbox/requests');
  expect(JSON.stringify(moovSide)).toContain('"auth":"basic"');
  expectNoSecret('the sandbox request log', JSON.stringify(moovSide));
});

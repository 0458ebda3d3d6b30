import { NativeConnection, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pino from 'pino';
import { formatStatus, progressLine } from '../cli/format';
import { encryptedDataConverter, keyringFromEnv } from '../codec';
import { connectClient, failureMessage, getRemediationStatus, startRemediation, waitForRemediation } from '../client';
import { temporalConfigFromEnv } from '../config/worker-config';
import { moovConfigFromEnv } from '../moov';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, startSandbox } from '../sandbox';
import { startDevServer } from '../temporal-servers/dev-server';
import { ensureServers } from '../temporal-servers/install';
import { PROJECT_ROOT, PROJECT_TEMPORAL_DIR } from '../temporal-servers/locate';
import { DEFAULT_SCHEDULE_ID } from '../sweep-client';
import { DEFAULT_WEBHOOK_BIND_ADDRESS, startWebhookReceiver, WEBHOOK_PATH } from '../webhooks';
import { createRemediationWorker, workerMoovClient } from '../worker';
import type { RemediationStatus } from '../domain/remediation-status';
import { writeDemoFiles } from './demo-files';
import { simulateMerchantAndReview } from './demo-merchant';
import { describeRequirements, demoRemediationInput } from './demo-remediation';
import { admin, seedDemoAccounts } from './demo-seed';
import type { Lifecycle } from './lifecycle';
import { choosePort } from '../net/ports';

const HOST = '127.0.0.1';
export const PREFERRED_PORTS = { temporal: 7233, ui: 8233, sandbox: 8910, webhooks: Number(DEFAULT_WEBHOOK_BIND_ADDRESS.split(':')[1]) } as const;

const relative = (file: string) => path.relative(PROJECT_ROOT, file) || '.';

/**
 * `npm start` with nothing configured: a Temporal dev server with its Web UI, the Moov sandbox
 * seeded with a merchant that needs remediation, and a worker; then one demo remediation through
 * the client API. Everything it starts is registered with `lifecycle` to be stopped on exit.
 */
export async function runEmbedded(lifecycle: Lifecycle, log: (line: string) => void, logger: pino.Logger): Promise<void> {
  const { namespace, taskQueue } = temporalConfigFromEnv();

  const { 'dev-server': executable } = await ensureServers(['dev-server'], log);
  log(`Temporal CLI: ${executable.source === 'sdk-download' ? "the SDK's download" : `${relative(executable.path)} (${executable.source})`}`);
  const temporalPort = await choosePort('Temporal dev server', PREFERRED_PORTS.temporal, HOST, log);
  const uiPort = await choosePort('Temporal Web UI', PREFERRED_PORTS.ui, HOST, log, [temporalPort]);
  const dbFilename = path.join(PROJECT_TEMPORAL_DIR, 'dev-server.sqlite');
  const devServer = await startDevServer({ port: temporalPort, uiPort, dbFilename, namespace, executable, log });
  lifecycle.onStop('Temporal dev server', () => devServer.stop());
  const uiUrl = devServer.uiUrl ?? `http://localhost:${uiPort}`;
  log(`Temporal dev server: ${devServer.address} (namespace ${namespace}, history kept in ${relative(dbFilename)})`);
  log(`Temporal Web UI:     ${uiUrl}`);

  const sandboxPort = await choosePort('Moov sandbox', PREFERRED_PORTS.sandbox, HOST, log, [temporalPort, uiPort]);
  // Real Moov answers in a few hundred ms; without latency the demo's phases pass too fast to see.
  const sandbox = await startSandbox({ port: sandboxPort, host: HOST, latencyMs: [150, 400] });
  lifecycle.onStop('Moov sandbox', () => sandbox.close());
  log(`Moov sandbox:        ${sandbox.url} (demo keys ${DEFAULT_CREDENTIALS.publicKey} / sandbox-secret-…; admin API ${sandbox.url}/_sandbox/)`);

  const accounts = await seedDemoAccounts(sandbox.url);
  // FILES_LAYOUT=per-account (the default): a merchant's documents live in FILES_ROOT/<accountID>/.
  const filesRoot = path.join(PROJECT_TEMPORAL_DIR, 'demo-files');
  const merchantFiles = path.join(filesRoot, accounts.merchantAccountID);
  const files = await writeDemoFiles(merchantFiles);
  log(`Demo files:          ${relative(merchantFiles)}/ (${Object.values(files).join(', ')})`);

  // The Runtime start.ts installed: Moov exchanges are counted and logged like the worker's own.
  const runtime = Runtime.instance();
  const moov = workerMoovClient(moovConfigFromEnv({ MOOV_BASE_URL: sandbox.url, MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey, MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey }), {}, runtime);
  lifecycle.onStop('Moov client', () => moov.close());
  log(`Seeded merchant ${accounts.merchantAccountID} (Demo Yoga Studio LLC), principal ${accounts.principalAccountID}, payment link ${accounts.paymentLinkCode}`);
  for (const line of await describeRequirements(moov, accounts.merchantAccountID)) log(`  Moov says: ${line}`);

  const connection = await NativeConnection.connect({ address: devServer.address });
  lifecycle.onStop('worker connection', () => connection.close());
  log('Bundling workflows and starting the worker…');
  // TEMPORAL_CODEC_KEYS / TEMPORAL_CODEC_KEY_FILE: the worker and the client encrypt with the same keys.
  const keyring = keyringFromEnv();
  const dataConverter = keyring ? encryptedDataConverter(keyring) : {};
  if (keyring) log(`Payloads encrypted with key ${keyring.currentKeyId} (the UI needs the codec server: npm run codec-server)`);
  const worker = await createRemediationWorker({ connection, namespace, taskQueue, moov, filesRoot, partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID, dataConverter });
  const running = worker.run();
  lifecycle.onStop('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  running.catch((err: unknown) => log(`worker stopped with an error: ${(err as Error).message}`));
  log(`Worker polling task queue ${taskQueue}`);

  const client = await connectClient({ address: devServer.address, namespace, taskQueue }, dataConverter);
  lifecycle.onStop('client connection', () => client.connection.close());

  // Moov's webhooks, as production has them: the sandbox signs each event with this session's
  // secret and posts it to the receiver, which signals the remediation to look at Moov now.
  const webhookSecret = randomBytes(32).toString('hex');
  const webhooksPort = await choosePort('Moov webhook receiver', PREFERRED_PORTS.webhooks, HOST, log, [temporalPort, uiPort, sandboxPort]);
  const receiver = await startWebhookReceiver({
    host: HOST,
    port: webhooksPort,
    secrets: [webhookSecret],
    timestampToleranceMs: 5 * 60_000,
    autostart: false,
    client,
    taskQueue,
    logger,
    meter: runtime.metricMeter,
    scheduleId: DEFAULT_SCHEDULE_ID,
  });
  lifecycle.onStop('webhook receiver', () => receiver.close());
  await admin(sandbox.url, 'PUT', '/webhook', { url: `${receiver.url}${WEBHOOK_PATH}`, secret: webhookSecret });
  log(`Webhook receiver:    ${receiver.url}${WEBHOOK_PATH} (the sandbox sends it Moov's signed events)`);
  const started = await startRemediation(client, demoRemediationInput(accounts, files), { taskQueue });
  log('');
  log(`Demo remediation ${started.workflowId} ${started.started ? 'started' : 'joined'} (run ${started.runId})`);
  const workflowUrl = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(started.workflowId)}`;
  let simulated = false;
  const onPhase = (status: RemediationStatus) => {
    log(progressLine(status));
    if (status.phase !== 'awaiting-merchant' || simulated) return;
    simulated = true;
    playMerchant().catch((err: unknown) => log(`           (demo) could not simulate the merchant: ${(err as Error).message}`));
  };
  // Waits for the workflow's first look at Moov, so the open errors show before they clear.
  const playMerchant = async () => {
    let status = await getRemediationStatus(client, started.workflowId);
    while (!status.followThrough?.lastCheckedAt && status.phase === 'awaiting-merchant' && !lifecycle.stopping) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await getRemediationStatus(client, started.workflowId);
    }
    if (status.phase !== 'awaiting-merchant') return;
    log(`           open: ${status.followThrough?.requirementErrors.join('; ') || 'none'}`);
    log("           (demo) playing Moov's reviewers and the merchant through the sandbox admin API:");
    fixedAt = Date.now();
    log(`           (demo) ${(await simulateMerchantAndReview(sandbox.url, status)).join('; ')}`);
    log("           (demo) Moov's webhook tells the remediation at once; its next poll would be a day away");
  };
  let fixedAt: number | undefined;
  try {
    const status = await waitForRemediation(client, started.workflowId, { onPhase, pollIntervalMs: 100 });
    log('');
    log(formatStatus(status));
    const wokenBy = status.followThrough?.lastWokenBy;
    if (fixedAt !== undefined && status.finishedAt) {
      const seconds = ((Date.parse(status.finishedAt) - fixedAt) / 1000).toFixed(1);
      log(`${status.phase} ${seconds} s after the merchant's fix${wokenBy ? `, seen because of ${wokenBy}` : ', seen at a scheduled check'}`);
    }
  } catch (err) {
    if (lifecycle.stopping) return;
    log(`Demo remediation did not complete: ${failureMessage(err)}`);
  }

  const cliEnv = devServer.address === `${HOST}:${PREFERRED_PORTS.temporal}` ? '' : `TEMPORAL_ADDRESS=${devServer.address} `;
  log('');
  log(`See it in the Temporal UI: ${workflowUrl}`);
  log(`All remediations:          ${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows`);
  log('Try the CLI in another terminal:');
  log(`  ${cliEnv}npm run cli -- status ${accounts.merchantAccountID}`);
  log(
    `  ${cliEnv}npm run cli -- start --account ${accounts.merchantAccountID} --file ${files.csv}:merchant_underwriting --wait`,
  );
  log('The worker keeps running (sandbox and dev server too). Press Ctrl-C to stop everything.');
}

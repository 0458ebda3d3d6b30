// npx tsx scripts/screenshot-web-ui.ts [--keep]
//
// The screenshots of docs/operations.md: a Temporal dev server with its Web UI, the Moov sandbox
// and a worker, one demo remediation that waits for another party's active resolution link, and
// headless Chromium (`apt-get install chromium`, or CHROMIUM=/path) shooting that workflow's
// timeline (each activity's and timer's summary) into docs/img/web-ui-remediation.png and its
// "Send an Update" dialog (each update's description) into docs/img/web-ui-update-descriptions.png.
// --keep leaves it all running (Ctrl-C stops it) to look at the page in a browser.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectClient, getRemediationStatus, startRemediation } from '../src/client';
import { writeDemoFiles } from '../src/embedded/demo-files';
import { demoRemediationInput } from '../src/embedded/demo-remediation';
import { admin, seedDemoAccounts } from '../src/embedded/demo-seed';
import { MoovClient, moovConfigFromEnv } from '../src/moov';
import { freePort } from '../src/net/ports';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID, startSandbox } from '../src/sandbox';
import { startDevServer } from '../src/temporal-servers/dev-server';
import { PROJECT_ROOT } from '../src/temporal-servers/locate';
import { createRemediationWorker } from '../src/worker';
import { eventually } from '../test/support/eventually';
import { launchChromium, type Clip, type Page } from './chromium-pipe';

const HOST = '127.0.0.1';
const IMAGES = path.join(PROJECT_ROOT, 'docs', 'img');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Demo {
  /** The remediation's page in the Web UI, without a tab. */
  workflowUrl: string;
  stop(): Promise<void>;
}

/** Everything `npm start` runs, on free ports, with a remediation left waiting for another party's link. */
async function startDemo(): Promise<Demo> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((err: unknown) => log(`while stopping: ${(err as Error).message}`));
  };
  try {
    const devServer = await startDevServer({ port: await freePort(HOST), uiPort: await freePort(HOST), log });
    stops.push(() => devServer.stop());
    const sandbox = await startSandbox({ port: 0, host: HOST });
    stops.push(() => sandbox.close());
    const accounts = await seedDemoAccounts(sandbox.url);
    // Another platform's link, active for 3 more days: Moov allows one per account, so the remediation waits for it.
    await admin(sandbox.url, 'POST', `/accounts/${accounts.merchantAccountID}/resolution-links`, {
      recipient: 'compliance@other-platform.example',
      partnerAccountID: 'another-platform',
      expiresOn: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    const filesRoot = await mkdtemp(path.join(tmpdir(), 'web-ui-screenshot-'));
    stops.push(() => rm(filesRoot, { recursive: true, force: true }));
    const files = await writeDemoFiles(path.join(filesRoot, accounts.merchantAccountID));

    const moov = new MoovClient(moovConfigFromEnv({ MOOV_BASE_URL: sandbox.url, MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey, MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey }));
    stops.push(() => moov.close());
    const connection = await NativeConnection.connect({ address: devServer.address });
    stops.push(() => connection.close());
    const taskQueue = 'merchant-remediation';
    const worker = await createRemediationWorker({ connection, namespace: 'default', taskQueue, moov, filesRoot, partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID });
    const running = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const client = await connectClient({ address: devServer.address, namespace: 'default', taskQueue }, {});
    stops.push(() => client.connection.close());

    const started = await startRemediation(client, demoRemediationInput(accounts, files), { taskQueue });
    log(`${started.workflowId}: waiting until it waits for the other party's link`);
    await eventually('waiting-for-active-link', async () => ((await getRemediationStatus(client, started.workflowId)).phase === 'waiting-for-active-link' ? true : undefined));
    return { workflowUrl: `${devServer.uiUrl}/namespaces/default/workflows/${encodeURIComponent(started.workflowId)}/${started.runId}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits until `expression` is true in the page: the UI renders what it fetched some time after load. */
const waitInPage = (page: Page, what: string, expression: string) => eventually(what, async () => ((await page.evaluate<boolean>(expression)) ? true : undefined));

/** In the page: whether an element is shown (menus and dialogs the UI keeps in the DOM are hidden or transparent). */
const SHOWN = '((e) => e.checkVisibility({ opacityProperty: true, visibilityProperty: true }))';

/** Clicks the first visible element matching `selector` whose text contains `text`. */
async function click(page: Page, selector: string, text: string): Promise<void> {
  const find = `[...document.querySelectorAll(${JSON.stringify(selector)})].find((e) => ${SHOWN}(e) && e.textContent.includes(${JSON.stringify(text)}))`;
  await waitInPage(page, `${selector} "${text}"`, `Boolean(${find})`);
  await page.evaluate(`${find}.click()`);
}

/** The page rectangle around every element `selectors` matches, plus a margin, in CSS pixels. */
async function around(page: Page, selectors: string[], margin = 12): Promise<Clip> {
  return page.evaluate<Clip>(`(() => {
    const rects = ${JSON.stringify(selectors)}.flatMap((s) => [...document.querySelectorAll(s)]).filter(${SHOWN}).map((e) => e.getBoundingClientRect());
    const left = Math.max(0, Math.min(...rects.map((r) => r.left)) - ${margin}), top = Math.max(0, Math.min(...rects.map((r) => r.top)) - ${margin});
    const right = Math.max(...rects.map((r) => r.right)) + ${margin}, bottom = Math.max(...rects.map((r) => r.bottom)) + ${margin};
    return { x: left + scrollX, y: top + scrollY, width: right - left, height: bottom - top };
  })()`);
}

/** The Timeline tab: one bar per activity call and timer, labelled with its summary. */
async function shootTimeline(page: Page, workflowUrl: string, file: string): Promise<void> {
  await page.navigate(`${workflowUrl}/timeline`);
  await waitInPage(page, 'the timeline with its summaries', `document.body.innerText.includes('upload articles-of-organization.pdf') && document.body.innerText.includes('wait for link')`);
  await writeFile(file, await page.screenshot(await around(page, ['[data-testid="workflow-id-heading"]', ':has(> #event-history-timeline-graph)'], 16)));
}

/** More Actions → Send an Update, its Name list open: each update with its description. */
async function shootUpdateDialog(page: Page, workflowUrl: string, file: string): Promise<void> {
  await page.navigate(`${workflowUrl}/history`);
  await click(page, 'button', 'More Actions');
  await click(page, '[role=menuitem]', 'Send an Update');
  await click(page, '[data-testid="update-select-button"]', '');
  await waitInPage(page, 'the update names and descriptions', `[...document.querySelectorAll('#update-select-select [role=option]')].some((e) => ${SHOWN}(e) && e.textContent.includes('replaceActiveLink'))`);
  await writeFile(file, await page.screenshot(await around(page, ['#update-confirmation-modal', '#update-select-select'])));
}

async function main(): Promise<void> {
  // The worker's and bundler's INFO lines would bury what the script says; warnings still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const demo = await startDemo();
  try {
    if (process.argv.includes('--keep')) {
      log(`open ${demo.workflowUrl} (Ctrl-C stops everything)`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      return;
    }
    const browser = await launchChromium();
    try {
      const page = await browser.open({ width: 1400, height: 1200 });
      for (const [name, shoot] of [
        ['web-ui-remediation.png', shootTimeline],
        ['web-ui-update-descriptions.png', shootUpdateDialog],
      ] as const) {
        await shoot(page, demo.workflowUrl, path.join(IMAGES, name));
        log(`wrote docs/img/${name}`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await demo.stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      log(`screenshot failed: ${(err as Error).stack ?? String(err)}`);
      process.exit(1);
    },
  );
}

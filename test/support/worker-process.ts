import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_CREDENTIALS, DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';

const ROOT = path.resolve(__dirname, '../..');

export interface SandboxWorkerSettings {
  temporalAddress: string;
  taskQueue: string;
  filesRoot: string;
  moovBaseUrl: string;
  httpTimeouts: { connectTimeoutMs: number; headersTimeoutMs: number; bodyTimeoutMs: number };
}

/** The environment of a worker process that works against the sandbox with its default credentials. */
export function sandboxWorkerEnv(settings: SandboxWorkerSettings): NodeJS.ProcessEnv {
  return {
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: settings.taskQueue,
    FILES_ROOT: settings.filesRoot,
    MOOV_PARTNER_ACCOUNT_ID: DEFAULT_PARTNER_ACCOUNT_ID,
    MOOV_BASE_URL: settings.moovBaseUrl,
    MOOV_PUBLIC_KEY: DEFAULT_CREDENTIALS.publicKey,
    MOOV_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    MOOV_CONNECT_TIMEOUT_MS: String(settings.httpTimeouts.connectTimeoutMs),
    MOOV_HEADERS_TIMEOUT_MS: String(settings.httpTimeouts.headersTimeoutMs),
    MOOV_BODY_TIMEOUT_MS: String(settings.httpTimeouts.bodyTimeoutMs),
    // The worker says it is polling at info level; WorkerProcess waits for that line.
    LOG_LEVEL: 'info',
  };
}

/**
 * `npm run worker` as a real child process, so tests can run several on one queue and kill one
 * with SIGKILL mid-task, as a crash or an evicted container would.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  output = '';

  constructor(
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The worker's own process id (for /proc readings in the benchmark); undefined before start. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the worker and resolves once it polls its task queue. */
  async start(timeoutMs = 60_000): Promise<void> {
    // One process (tsx as a loader, not the tsx CLI, which forks a child): SIGKILL must hit the worker itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        // Keep the tail only: it is for error messages, and a busy worker logs a lot.
        this.output = (this.output + chunk.toString()).slice(-20_000);
        if (/polling task queue/i.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited during start-up (${signal ?? code}):\n${this.output}`));
      });
    });
    await ready;
  }

  /** SIGKILL: no shutdown hooks, in-flight activities are abandoned mid-call. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, the graceful path (drains in-flight tasks). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    await this.exited;
  }
}

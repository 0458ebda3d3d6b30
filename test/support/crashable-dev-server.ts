import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/net/ports';
import { startDevServer, type DevServerHandle, type DevServerOptions } from '../../src/temporal-servers/dev-server';

/**
 * A Temporal dev server on a fixed port and SQLite file that a test can SIGKILL and start again,
 * as a crashed host restarted on the same disk would be. Workers and clients keep the address and
 * reconnect on their own.
 */
export class CrashableDevServer {
  private handle: DevServerHandle | undefined;
  private upNow: Promise<void> = Promise.resolve();
  crashes = 0;

  private constructor(
    private readonly options: DevServerOptions & { dbFilename: string },
    private readonly dir: string,
  ) {}

  static async start(): Promise<CrashableDevServer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'temporal-db-'));
    const server = new CrashableDevServer({ port: await freePort('127.0.0.1'), headless: true, dbFilename: path.join(dir, 'temporal.db') }, dir);
    server.handle = await startDevServer(server.options);
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  /** Resolves once the server serves again (at once while it is up). */
  up(): Promise<void> {
    return this.upNow;
  }

  /** SIGKILL, then start again on the same database file and port; resolves once it serves. */
  async crashAndRestart(): Promise<void> {
    let restarted!: () => void;
    this.upNow = new Promise((resolve) => (restarted = resolve));
    try {
      await this.handle?.kill();
      this.crashes += 1;
      this.handle = await startDevServer(this.options);
    } finally {
      // Waiters must not hang on a failed restart: the error reaches the caller of this method.
      restarted();
    }
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

import { fork } from 'node:child_process';
import { startSandbox, type SandboxHandle } from '../src/sandbox';

/**
 * The bench's sandbox in a process of its own. In the bench's process it shared an event loop
 * with hundreds of long polls and the bench's own bookkeeping, and its pauses bunched the
 * requests it received: a partner's requests left the worker at most 39 in any second and
 * arrived 41–43 in one second. Apart, the sandbox's per-second counts are its own.
 */
type SandboxStartOptions = Omit<Parameters<typeof startSandbox>[0], 'logger'>;

if (require.main === module) {
  process.once('message', (options: SandboxStartOptions) => {
    void startSandbox(options).then((sandbox) => {
      process.send!({ url: sandbox.url, port: sandbox.port });
      // The bench's end (or its crash) closes the channel: then the sandbox goes too.
      process.once('disconnect', () => void sandbox.close().finally(() => process.exit(0)));
    });
  });
}

/** Starts the sandbox in a child process and answers once it listens. */
export function startSandboxProcess(options: SandboxStartOptions): Promise<SandboxHandle & { pid: number }> {
  const child = fork(__filename, [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with code ${code} before it listened`)));
    child.once('message', ({ url, port }: { url: string; port: number }) =>
      resolve({
        url,
        port,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.disconnect();
          }),
      }),
    );
    child.send(options);
  });
}

import { createServer } from 'node:net';

// Port probing shared by the embedded mode (src/embedded) and the Temporal dev server launcher
// (src/temporal-servers), which embedded mode builds on: here, so neither imports the other upward.

/** Whether `port` can be bound on `host` right now (another process may still take it later). */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free on `host`. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error(`could not find a free port on ${host}`))));
    });
  });
}

/**
 * The preferred port when it is free, else a free one. The caller is told which, so a busy
 * 7233 (say, another dev server) never silently points the user at the wrong service.
 */
export async function choosePort(
  label: string,
  preferred: number,
  host: string,
  log: (line: string) => void,
  avoid: readonly number[] = [],
): Promise<number> {
  if (!avoid.includes(preferred) && (await isPortFree(preferred, host))) return preferred;
  let port = await freePort(host);
  while (avoid.includes(port)) port = await freePort(host);
  log(`${label}: port ${preferred} on ${host} is already in use, using ${port} instead`);
  return port;
}

// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
// messages ending in a NUL byte, the browser reading fd 3 and writing fd 4), so that a script can
// wait for a JavaScript app to render before it shoots, with no browser-automation package.
// chromium --screenshot alone shoots at load, before the Temporal UI has drawn anything, and its
// --virtual-time-budget never ends on a page that keeps polling.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

interface Reply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export interface Page {
  /** Evaluates `expression` in the page and returns its value (JSON-serializable). */
  evaluate<T>(expression: string): Promise<T>;
  navigate(url: string): Promise<void>;
  /** A PNG of the viewport, or of `clip` (CSS pixels of the page). */
  screenshot(clip?: Clip): Promise<Buffer>;
}

export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Browser {
  open(viewport: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(executable = process.env.CHROMIUM ?? 'chromium'): Promise<Browser> {
  const child: ChildProcess = spawn(
    executable,
    ['--headless', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let buffered = '';
  fromBrowser.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const reply = JSON.parse(buffered.slice(0, end)) as Reply;
      buffered = buffered.slice(end + 1);
      const waiter = reply.id !== undefined ? pending.get(reply.id) : undefined;
      if (!waiter) continue; // an event
      pending.delete(reply.id!);
      if (reply.error) waiter.reject(new Error(reply.error.message));
      else waiter.resolve(reply.result ?? {});
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('chromium exited'));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`cannot run ${executable} (apt-get install chromium, or set CHROMIUM): ${err.message}`)));
  });

  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    });

  return {
    async open(viewport) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      const call = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
      await call('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
      return {
        async evaluate<T>(expression: string): Promise<T> {
          const { result, exceptionDetails } = (await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
            result: { value: T };
            exceptionDetails?: { text: string };
          };
          if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.text}`);
          return result.value;
        },
        async navigate(url: string) {
          await call('Page.navigate', { url });
        },
        async screenshot(clip?: Clip) {
          const { data } = (await call('Page.captureScreenshot', { format: 'png', ...(clip && { clip: { ...clip, scale: 1 }, captureBeyondViewport: true }) })) as {
            data: string;
          };
          return Buffer.from(data, 'base64');
        },
      };
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      await exited;
    },
  };
}

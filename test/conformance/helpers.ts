import { Moov } from '@moovio/sdk';
import { SDK_METADATA } from '@moovio/sdk/lib/config';
import { PUBLIC_KEY, SECRET_KEY, useSandbox } from '../sandbox/support/helpers';
import type { SandboxContext, UseSandboxOptions } from '../sandbox/support/helpers';

export { TestSandbox, SAMPLES, useSandbox } from '../sandbox/support/helpers';

/** The version header the official SDK sends on every call (set by its MoovVersionHook). */
export const SDK_MOOV_VERSION = SDK_METADATA.openapiDocVersion;

export function basicClient(serverURL: string, username = PUBLIC_KEY, password = SECRET_KEY): Moov {
  return new Moov({ security: { username, password }, serverURL });
}

export function bearerClient(serverURL: string, accessToken: string): Moov {
  return new Moov({ accessToken, serverURL });
}

/** A useSandbox context plus an SDK client on the sandbox with the default Basic credentials. */
export interface SdkSandboxContext extends SandboxContext {
  readonly moov: Moov;
}

/** useSandbox, and once the sandbox is up, `ctx.moov`: the official SDK pointed at it (basicClient). */
export function useSdkSandbox(opts: UseSandboxOptions = {}): SdkSandboxContext {
  const base = useSandbox(opts);
  let moov: Moov | undefined;
  beforeAll(() => {
    moov = basicClient(base.sb.url);
  });
  return {
    get sb() {
      return base.sb;
    },
    get merchant() {
      return base.merchant;
    },
    get moov() {
      if (!moov) throw new Error('useSdkSandbox: the client is not created yet (read ctx.moov inside hooks and tests)');
      return moov;
    },
  };
}

/**
 * Awaits an SDK call that must fail and returns the error after checking its class and HTTP status,
 * so each test states exactly which typed error the SDK mapped the sandbox's answer to.
 */
export async function sdkError<E extends Error>(
  call: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => E,
  statusCode?: number,
): Promise<E> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(errorClass);
  if (statusCode !== undefined) expect((caught as { statusCode?: number }).statusCode).toBe(statusCode);
  return caught as E;
}

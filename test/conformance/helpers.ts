import { Moov } from '@moovio/sdk';
import { SDK_METADATA } from '@moovio/sdk/lib/config';
import { PUBLIC_KEY, SECRET_KEY } from '../sandbox/helpers';

export { TestSandbox, SAMPLES } from '../sandbox/helpers';

/** The version header the official SDK sends on every call (set by its MoovVersionHook). */
export const SDK_MOOV_VERSION = SDK_METADATA.openapiDocVersion;

export function basicClient(serverURL: string, username = PUBLIC_KEY, password = SECRET_KEY): Moov {
  return new Moov({ security: { username, password }, serverURL });
}

export function bearerClient(serverURL: string, accessToken: string): Moov {
  return new Moov({ accessToken, serverURL });
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

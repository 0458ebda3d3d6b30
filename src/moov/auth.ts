import { inspect } from 'node:util';

export type MoovAuth =
  | { kind: 'basic'; publicKey: string; secretKey: string }
  | { kind: 'bearer'; accessToken: string };

const REDACTED = '[redacted]';

function redactedView(auth: MoovAuth): Record<string, string> {
  return auth.kind === 'basic' ? { kind: 'basic', publicKey: REDACTED, secretKey: REDACTED } : { kind: 'bearer', accessToken: REDACTED };
}

/**
 * A copy of `auth` whose credential fields are non-enumerable and which renders redacted through
 * JSON.stringify, util.inspect (console.log, pino, jest diffs) and Object.keys/entries/spread.
 * The values stay readable as plain properties for the code that builds the header.
 */
export function sealAuth(auth: MoovAuth): MoovAuth {
  const sealed: Record<PropertyKey, unknown> = { kind: auth.kind };
  const hidden = (value: string): PropertyDescriptor => ({ value, enumerable: false, writable: false, configurable: false });
  if (auth.kind === 'basic') {
    Object.defineProperties(sealed, { publicKey: hidden(auth.publicKey), secretKey: hidden(auth.secretKey) });
  } else {
    Object.defineProperty(sealed, 'accessToken', hidden(auth.accessToken));
  }
  const view = redactedView(auth);
  Object.defineProperties(sealed, {
    toJSON: { value: () => view, enumerable: false },
    [inspect.custom]: { value: () => view, enumerable: false },
    toString: { value: () => `MoovAuth(${auth.kind})`, enumerable: false },
  });
  return Object.freeze(sealed) as unknown as MoovAuth;
}

export function authorizationHeader(auth: MoovAuth): string {
  if (auth.kind === 'basic') {
    return `Basic ${Buffer.from(`${auth.publicKey}:${auth.secretKey}`, 'utf8').toString('base64')}`;
  }
  return `Bearer ${auth.accessToken}`;
}

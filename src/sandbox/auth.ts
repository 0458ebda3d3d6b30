import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthKind } from './request-log';

export interface Credentials {
  publicKey: string;
  secretKey: string;
}

export interface AuthResult {
  kind: AuthKind;
  ok: boolean;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// Hashing first gives equal-length buffers, so comparison time does not reveal the secret's length.
function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Moov accepts HTTP Basic (public key : secret key) or an OAuth access token as Bearer. */
export function authenticate(
  header: string | undefined,
  credentials: Credentials,
  accessTokens: readonly string[],
): AuthResult {
  if (!header) return { kind: 'none', ok: false };
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return { kind: 'basic', ok: false };
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    // Evaluate both comparisons so a wrong username costs the same as a wrong password.
    const userOk = safeEqual(user, credentials.publicKey);
    const passOk = safeEqual(pass, credentials.secretKey);
    return { kind: 'basic', ok: userOk && passOk };
  }
  if (scheme === 'bearer') {
    let ok = false;
    for (const token of accessTokens) if (safeEqual(value, token)) ok = true;
    return { kind: 'bearer', ok: value.length > 0 && ok };
  }
  return { kind: 'none', ok: false };
}

/** Classifies the scheme without checking it (for admin routes, which need no auth). */
export function authKindOf(header: string | undefined): AuthKind {
  const scheme = header?.split(' ', 1)[0]?.toLowerCase();
  return scheme === 'basic' ? 'basic' : scheme === 'bearer' ? 'bearer' : 'none';
}

import { randomBytes, randomUUID } from 'node:crypto';

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Nanoid-style code like Moov's link codes (`bwebMOhZ85`). */
export function newCode(length = 10): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps the 62-symbol alphabet unbiased.
      const index = byte & 63;
      if (index < CODE_ALPHABET.length) out += CODE_ALPHABET[index];
      if (out.length === length) break;
    }
  }
  return out;
}

export function newUUID(): string {
  return randomUUID();
}

export function newRequestId(): string {
  return randomUUID().replace(/-/g, '');
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUUID(value: string): boolean {
  return UUID_RE.test(value);
}

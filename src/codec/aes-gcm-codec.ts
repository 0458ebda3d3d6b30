import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import type { CodecKeyring } from './codec-config';

/** `encoding` of an encrypted payload; its `data` is IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key that encrypted the payload, so that rotated keys still decrypt old history. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const ProtoPayload = temporal.api.common.v1.Payload;

/** The payload names a key this codec was not given (rotated out, or another deployment's). */
export class UnknownEncryptionKeyError extends Error {
  override readonly name = 'UnknownEncryptionKeyError';
  constructor(
    readonly keyId: string,
    knownKeyIds: readonly string[],
  ) {
    super(`payload is encrypted with key id "${keyId}", which this codec does not have (it has: ${knownKeyIds.join(', ')})`);
  }
}

/** The payload could not be decrypted: tampered with, truncated, or encrypted with another key of the same id. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM payload encryption. Every payload (the whole serialized Payload, metadata included)
 * gets a fresh random 12-byte IV and is encrypted with the current key; the key id travels in the
 * clear in the metadata, and is bound to the ciphertext as additional authenticated data. Decoding
 * uses whichever key the payload names, so keys can be rotated without losing old history.
 * Payloads that are not encrypted (history from before encryption was turned on) pass through.
 */
export class AesGcmCodec implements PayloadCodec {
  // Private fields and KeyObjects: the keys appear in no log, JSON or inspect output.
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly #currentKeyId: string;

  constructor(keyring: CodecKeyring) {
    if (!keyring.keys.has(keyring.currentKeyId)) throw new UnknownEncryptionKeyError(keyring.currentKeyId, [...keyring.keys.keys()]);
    for (const [id, key] of keyring.keys) {
      if (key.type !== 'secret' || key.symmetricKeySize !== 32) throw new Error(`key "${id}" must be a 32-byte secret key`);
    }
    this.#keys = new Map(keyring.keys);
    this.#currentKeyId = keyring.currentKeyId;
  }

  get currentKeyId(): string {
    return this.#currentKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.#currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(keyId));
    const plaintext = ProtoPayload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!keyIdBytes || keyIdBytes.length === 0) throw new PayloadDecryptionError(`encrypted payload has no ${KEY_ID_METADATA} metadata`);
    const keyId = Buffer.from(keyIdBytes).toString('utf8');
    const key = this.#keys.get(keyId);
    if (!key) throw new UnknownEncryptionKeyError(keyId, this.keyIds);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`encrypted payload (key id "${keyId}") is too short to be valid`);
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const ciphertext = data.subarray(IV_BYTES, data.length - TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId));
    decipher.setAuthTag(tag);
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `encrypted payload (key id "${keyId}") failed authentication: it was altered, or encrypted with a different key of that id`,
      );
    }
    return ProtoPayload.decode(plaintext);
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

/** Binds the format and the key id to the ciphertext: swapping the metadata fails authentication. */
function additionalData(keyId: string): Buffer {
  return utf8(`${ENCRYPTED_ENCODING};${KEY_ID_METADATA}=${keyId}`);
}

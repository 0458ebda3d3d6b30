import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  AesGcmCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  UnknownEncryptionKeyError,
  createKeyring,
} from '../../src/codec';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const VALUE = { recipient: { email: 'ada@merchant.test' }, files: [{ path: 'kyc/ada-passport.pdf', metadata: { comment: 'legal name' } }] };

const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

test('round trip: the value comes back; on the wire it is binary/encrypted with the key id, and nothing readable', async () => {
  const codec = new AesGcmCodec(createKeyring('A', { A: KEY_A }));
  const plain = toPayload(VALUE);
  const [encoded] = await codec.encode([plain]);

  expect(text(encoded!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(text(encoded!.metadata![KEY_ID_METADATA])).toBe('A');
  expect(Object.keys(encoded!.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA]); // json/plain is inside, encrypted
  const wire = Buffer.from(encoded!.data!).toString('latin1');
  for (const secret of ['ada@merchant.test', 'ada-passport', 'legal name', 'json/plain']) expect(wire).not.toContain(secret);

  const [decoded] = await codec.decode([encoded!]);
  expect(text(decoded!.metadata!.encoding)).toBe('json/plain');
  expect(fromPayload(decoded!)).toEqual(VALUE);
});

test('a fresh IV per payload: the same value encrypts differently every time', async () => {
  const codec = new AesGcmCodec(createKeyring('A', { A: KEY_A }));
  const [one, two] = await codec.encode([toPayload(VALUE), toPayload(VALUE)]);
  expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
  expect(Buffer.from(one!.data!).subarray(0, 12).equals(Buffer.from(two!.data!).subarray(0, 12))).toBe(false);
});

test('empty and binary payloads, and batches of several, round trip', async () => {
  const codec = new AesGcmCodec(createKeyring('A', { A: KEY_A }));
  const payloads = [toPayload(undefined), toPayload(new Uint8Array([0, 1, 2, 255])), toPayload('x'.repeat(100_000)), toPayload(null)];
  const decoded = await codec.decode(await codec.encode(payloads));
  expect(decoded.map(fromPayload)).toEqual([undefined, new Uint8Array([0, 1, 2, 255]), 'x'.repeat(100_000), null]);
});

test('payloads that are not encrypted (history from before encryption) pass through decode unchanged', async () => {
  const codec = new AesGcmCodec(createKeyring('A', { A: KEY_A }));
  const plain = toPayload(VALUE);
  expect(await codec.decode([plain])).toEqual([plain]);
});

describe('tamper detection (GCM authentication)', () => {
  const codec = new AesGcmCodec(createKeyring('A', { A: KEY_A }));

  test.each([
    ['a flipped ciphertext bit', (data: Buffer) => (data[20]! ^= 0x01)],
    ['a flipped IV bit', (data: Buffer) => (data[0]! ^= 0x80)],
    ['a flipped tag bit', (data: Buffer) => (data[data.length - 1]! ^= 0x01)],
  ])('%s is refused', async (_name, tamper) => {
    const [encoded] = await codec.encode([toPayload(VALUE)]);
    const data = Buffer.from(encoded!.data!);
    tamper(data);
    await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow(/key id "A"\) failed authentication/);
  });

  test('a truncated payload is refused', async () => {
    const [encoded] = await codec.encode([toPayload(VALUE)]);
    await expect(codec.decode([{ ...encoded!, data: Buffer.from(encoded!.data!).subarray(0, 20) }])).rejects.toThrow(/too short/);
  });

  test('relabelling the key id fails authentication even when the other key is known (the id is bound to the ciphertext)', async () => {
    const both = new AesGcmCodec(createKeyring('A', { A: KEY_A, B: KEY_A }));
    const [encoded] = await both.encode([toPayload(VALUE)]);
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [KEY_ID_METADATA]: Buffer.from('B') } };
    await expect(both.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
  });

  test('a different key under the same id fails authentication', async () => {
    const [encoded] = await codec.encode([toPayload(VALUE)]);
    const impostor = new AesGcmCodec(createKeyring('A', { A: KEY_B }));
    await expect(impostor.decode([encoded!])).rejects.toThrow(/failed authentication/);
  });
});

test('key rotation: payloads encoded under A still decode once B is current; new payloads use B', async () => {
  const before = new AesGcmCodec(createKeyring('A', { A: KEY_A }));
  const old = await before.encode([toPayload(VALUE)]);

  const rotated = new AesGcmCodec(createKeyring('B', { A: KEY_A, B: KEY_B }));
  expect((await rotated.decode(old)).map(fromPayload)).toEqual([VALUE]);
  const [fresh] = await rotated.encode([toPayload('new')]);
  expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('B');
  // Mixed batches (a history spanning the rotation) decode payload by payload.
  expect((await rotated.decode([old[0]!, fresh!])).map(fromPayload)).toEqual([VALUE, 'new']);
  // The old codec cannot read what the new key wrote.
  await expect(before.decode([fresh!])).rejects.toThrow(UnknownEncryptionKeyError);
});

test('an unknown key id: the error names the id and the known ids, never a key', async () => {
  const [encoded] = await new AesGcmCodec(createKeyring('retired-2025', { 'retired-2025': KEY_A })).encode([toPayload(VALUE)]);
  const codec = new AesGcmCodec(createKeyring('B', { B: KEY_B }));

  const err = await codec.decode([encoded!]).then(
    () => undefined,
    (e: unknown) => e as UnknownEncryptionKeyError,
  );
  expect(err).toBeInstanceOf(UnknownEncryptionKeyError);
  expect(err!.keyId).toBe('retired-2025');
  expect(err!.message).toBe('payload is encrypted with key id "retired-2025", which this codec does not have (it has: B)');
  for (const key of [KEY_A, KEY_B]) {
    expect(err!.message).not.toContain(key);
    expect(inspect(err)).not.toContain(key);
  }
});

test('the codec and its keyring never render key material', () => {
  const keyring = createKeyring('A', { A: KEY_A, B: KEY_B });
  const codec = new AesGcmCodec(keyring);
  const hex = [KEY_A, KEY_B].map((k) => Buffer.from(k, 'base64').toString('hex'));
  for (const rendered of [inspect(codec, { depth: 10, showHidden: true }), JSON.stringify(codec), inspect(keyring, { depth: 10 }), JSON.stringify({ ...keyring })]) {
    for (const secret of [KEY_A, KEY_B, ...hex]) expect(rendered).not.toContain(secret);
  }
  expect(codec.keyIds).toEqual(['A', 'B']);
  expect(codec.currentKeyId).toBe('A');
});

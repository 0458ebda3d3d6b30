import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { keyringFromEnv, type CodecKeyring } from './codec-config';

/**
 * The data converter that encrypts every payload (workflow and activity inputs and results,
 * queries, updates, signals, memo, summaries, failure messages) with AES-256-GCM. Worker and
 * clients must use the same one. Search attributes are never encoded by Temporal: MoovAccountID
 * and RemediationPhase stay readable (and searchable) on the server.
 */
export function encryptedDataConverter(keyring: CodecKeyring): DataConverter {
  return {
    payloadCodecs: [new AesGcmCodec(keyring)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

/** The encrypting data converter when TEMPORAL_CODEC_KEYS or TEMPORAL_CODEC_KEY_FILE is set; otherwise undefined (plaintext). */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keyring = keyringFromEnv(env);
  return keyring && encryptedDataConverter(keyring);
}

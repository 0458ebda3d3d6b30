export { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, UnknownEncryptionKeyError, isEncrypted } from './aes-gcm-codec';
export {
  CodecConfigError,
  KEY_BYTES,
  codecServerConfigFromEnv,
  createKeyring,
  keyringFromEnv,
  type CodecKeyring,
  type CodecServerConfig,
} from './codec-config';
export { dataConverterFromEnv, encryptedDataConverter } from './data-converter';
export { startCodecServer, type CodecServerHandle, type CodecServerOptions } from './codec-server';
export { InvalidPayloadJSONError, payloadFromJSON, payloadToJSON, type JSONPayload } from './payload-json';

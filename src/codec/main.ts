import { ConfigError } from '../domain/config-error';
import { AesGcmCodec } from './aes-gcm-codec';
import { CodecConfigError, codecServerConfigFromEnv, keyringFromEnv } from './codec-config';
import { startCodecServer } from './codec-server';

/**
 * `npm run codec-server`: decodes (and encodes) payloads for the Temporal Web UI and CLI with the
 * worker's keys. Needs TEMPORAL_CODEC_KEYS or TEMPORAL_CODEC_KEY_FILE and CODEC_SERVER_TOKEN.
 */
export async function runCodecServer(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<() => Promise<void>> {
  const keyring = keyringFromEnv(env);
  if (!keyring) {
    throw new CodecConfigError('TEMPORAL_CODEC_KEYS', 'or TEMPORAL_CODEC_KEY_FILE is required: the codec server decodes with the same keys as the worker');
  }
  const config = codecServerConfigFromEnv(env);
  const server = await startCodecServer({ codec: new AesGcmCodec(keyring), token: config.token, corsOrigins: config.corsOrigins, host: config.host, port: config.port });
  log(`codec server listening on ${server.url} (POST /encode, /decode)`);
  log(`  keys: ${[...keyring.keys.keys()].join(', ')} (current ${keyring.currentKeyId}); CORS origins: ${config.corsOrigins.join(', ')}`);
  log(`  Temporal UI: Settings → Codec Server → endpoint ${server.url}/<CODEC_SERVER_TOKEN>, or send Authorization: Bearer <CODEC_SERVER_TOKEN>`);
  return () => server.close();
}

if (require.main === module) {
  runCodecServer()
    .then((close) => {
      const stop = () => {
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(err instanceof ConfigError ? 2 : 1);
    });
}

/**
 * A configuration mistake found at start-up. Every configuration error of the project extends it
 * (Temporal connection, worker, Moov, codec, observability), so an entry point reports any of them
 * the same way: the CLI with exit 2 before it connects. It lives in src/domain because src/moov
 * may import nothing else of the project; it is a plain class, safe anywhere.
 */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
  constructor(
    /** The environment variable at fault, e.g. TEMPORAL_CODEC_KEYS (or a profile key and its file). */
    readonly variable: string,
    /** Names the variable, never its value, which may be a secret. */
    message: string,
  ) {
    super(message);
  }
}

/** The usual message: `Invalid configuration: VARIABLE problem`. */
export function invalidConfiguration(variable: string, problem: string): string {
  return `Invalid configuration: ${variable} ${problem}`;
}

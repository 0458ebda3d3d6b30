/**
 * Where a CLI command writes. Its own module so that src/cli/program.ts and the command groups it
 * adds (src/cli/sweep-commands.ts) both import it and never each other.
 */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

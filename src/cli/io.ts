import type { Client } from '@temporalio/client';
import type { ClientConfig } from '../config/client-config';

/**
 * What a CLI command group gets from src/cli/program.ts: where it writes, and how it connects.
 * Its own module so that program.ts and the groups it adds (src/cli/sweep-commands.ts,
 * src/cli/list-command.ts) all import it and never each other.
 */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** program.ts's withClient: connects with `config`, runs `use`, closes the connection. */
export type WithClient = (config: ClientConfig, use: (client: Client) => Promise<void>) => Promise<void>;

import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CommanderError } from 'commander';
import { InvalidRemediationInputError } from './client';
import type { CliIO } from './cli/io';
import { EXIT, buildProgram } from './cli/program';
import { UsageError } from './cli/start-input';
import { ConfigError } from './domain/config-error';
import { InvalidSweepInputError } from './sweep-client';

/** The message an operator can act on, from the error the command ended with. */
function explain(err: unknown): { code: number; message: string } {
  if (err instanceof UsageError || err instanceof InvalidRemediationInputError || err instanceof InvalidSweepInputError || err instanceof ConfigError) {
    return { code: EXIT.usage, message: err.message };
  }
  if (err instanceof WorkflowNotFoundError) {
    // The server says "not found" for unknown ids and "already completed" for finished runs.
    return { code: EXIT.failed, message: /not found/i.test(err.message) ? `no remediation found: ${err.message}` : `the remediation is not running: ${err.message}` };
  }
  if (err instanceof WorkflowUpdateFailedError) {
    // The workflow's own refusal (e.g. "Nothing to replace: …") is the cause.
    return { code: EXIT.failed, message: (err.cause as Error | undefined)?.message ?? err.message };
  }
  return { code: EXIT.failed, message: (err as Error)?.message ?? String(err) };
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    // Commander has already printed its message (unknown option, missing argument, help).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { code, message } = explain(err);
    io.err(`error: ${message}\n`);
    return code;
  }
}

if (require.main === module) {
  runCli(process.argv, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = EXIT.failed;
    },
  );
}

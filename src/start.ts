import { Lifecycle } from './embedded/lifecycle';
import { chooseStartMode } from './embedded/mode';
import { installEmbeddedObservability } from './embedded/observability';
import { runEmbedded } from './embedded/run-embedded';
import { runWorker } from './worker';

/**
 * `npm start`. Configured (TEMPORAL_ADDRESS, MOOV_BASE_URL and Moov keys): just the worker.
 * Not configured: the embedded demo, which runs until Ctrl-C and then stops all it started.
 */
async function main(): Promise<void> {
  const mode = chooseStartMode();
  if (mode.kind === 'incomplete') {
    console.error(`npm start: ${mode.message}`);
    process.exitCode = 2;
    return;
  }
  if (mode.kind === 'external') {
    await runWorker();
    return;
  }

  const log = (line: string) => console.log(line);
  // Our progress lines tell the story; the worker's JSON logs (LOG_LEVEL) go to a file.
  const observability = installEmbeddedObservability();
  for (const line of observability.lines) log(line);
  const lifecycle = new Lifecycle(log);
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      log(`\n${signal}: stopping (press Ctrl-C again to force)`);
      lifecycle.stop().then(() => process.exit(0));
      return;
    }
    // One Ctrl-C arrives twice: from the terminal and relayed by tsx/npm. Only a later one is a second press.
    if (Date.now() - firstSignalAt < 1000) return;
    console.error(`${signal} again: exiting without waiting for a clean shutdown`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await runEmbedded(lifecycle, log, observability.logger);
  } catch (err) {
    if (lifecycle.stopping) return;
    console.error(`npm start failed: ${(err as Error).message}`);
    await lifecycle.stop();
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});

import { Command, InvalidArgumentError, Option } from 'commander';
import pino from 'pino';
import { CLI_DEFAULT_PORT, DEFAULT_CREDENTIALS, DEFAULT_RATE_LIMIT_RPS, DEMO, SANDBOX_VARIABLES, startSandbox } from './index';

function intOption(name: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return Number(value);
  };
}

function latencyOption(value: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value);
  const min = Number(m?.[1]);
  const max = m?.[2] !== undefined ? Number(m[2]) : min;
  if (!m || max < min) throw new InvalidArgumentError('latency must be MIN-MAX in ms, e.g. 20-80');
  return [min, max];
}

async function main(): Promise<void> {
  const program = new Command()
    .name('sandbox')
    .description('Local Moov API sandbox (the other side of the wire for dev and tests)')
    .option('--port <port>', 'port to listen on (0 = any free port)', intOption('port', 0), CLI_DEFAULT_PORT)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--rate-limit <rps>', 'requests per second per account ID (0 disables)', intOption('rate-limit', 0), DEFAULT_RATE_LIMIT_RPS)
    .option('--latency <min-max>', 'added latency per Moov API request in ms, e.g. 20-80', latencyOption)
    .option('--seed-demo', 'seed a demo merchant that needs remediation', false)
    .option('--log-level <level>', 'pino log level', 'info')
    .addOption(new Option('--webhook-url <url>', 'POST Moov webhook events here (with a signing secret)').env(SANDBOX_VARIABLES.webhookUrl.variable))
    // A secret on the command line shows in `ps`; the variable is the better way to give it.
    .addOption(new Option('--webhook-secret <secret>', 'the webhook signing secret').env(SANDBOX_VARIABLES.webhookSecret.variable))
    .parse();
  const opts = program.opts<{
    port: number;
    host: string;
    rateLimit: number;
    latency?: [number, number];
    seedDemo: boolean;
    logLevel: string;
    webhookUrl?: string;
    webhookSecret?: string;
  }>();
  // A blank variable means "not set", as for the project's other settings.
  const webhookUrl = opts.webhookUrl || undefined;
  const webhookSecret = opts.webhookSecret || undefined;
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    program.error('--webhook-url and --webhook-secret go together (or SANDBOX_WEBHOOK_URL and SANDBOX_WEBHOOK_SECRET)');
  }
  const logger = pino({ level: opts.logLevel });

  const sandbox = await startSandbox({
    port: opts.port,
    host: opts.host,
    rateLimitRps: opts.rateLimit,
    latencyMs: opts.latency,
    seedDemo: opts.seedDemo,
    ...(webhookUrl !== undefined && webhookSecret !== undefined && { webhook: { url: webhookUrl, secret: webhookSecret } }),
    logger,
  });
  logger.info(
    { url: sandbox.url, publicKey: DEFAULT_CREDENTIALS.publicKey, rateLimitRps: opts.rateLimit, latencyMs: opts.latency, webhookUrl },
    `Moov sandbox listening on ${sandbox.url}`,
  );
  if (opts.seedDemo) logger.info({ demo: DEMO }, 'seeded demo merchant');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping Moov sandbox');
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

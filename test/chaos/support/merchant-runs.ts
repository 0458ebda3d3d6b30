import { isGrpcServiceError, ServiceError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { startRemediation } from '../../../src/client';
import type { merchantRemediation } from '../../../src/workflows';
import { statusQuery } from '../../../src/workflows/definitions';
import type { ChaosMerchant } from './chaos-fleet';

/** How a merchant gets a second run with the same input, if it does. */
export type SecondRun = 'restart-mid-run' | 'again-after-completion';

export interface RunsContext {
  client: Client;
  taskQueue: string;
  /** Resolves once the Temporal server serves (at once unless it is being restarted). */
  serverUp: () => Promise<void>;
}

/**
 * One merchant's remediation runs: the first, and the second one the chaos run gives some merchants
 * (terminated mid-run and started again, or started again after it completed). `finished()`
 * follows whichever run is current until the last one has ended.
 */
export class MerchantRuns {
  private handle!: WorkflowHandle<typeof merchantRemediation>;
  private replacing: Promise<void> | undefined;
  private secondRunStarted = false;
  runs = 0;
  /** What the second run turned out to be (a restart can find the first run already completed). */
  secondRunKind: SecondRun | undefined;

  constructor(
    readonly merchant: ChaosMerchant,
    readonly secondRun: SecondRun | undefined,
    private readonly ctx: RunsContext,
  ) {}

  async start(): Promise<void> {
    await this.startRun();
  }

  get wantsRestart(): boolean {
    return this.secondRun === 'restart-mid-run' && !this.secondRunStarted;
  }

  /** Terminate the running remediation and start it again with the same input. */
  async restart(): Promise<void> {
    if (this.secondRunStarted) return;
    this.secondRunStarted = true;
    const previous = this.handle;
    this.replacing = (async () => {
      try {
        await untilServed(this.ctx, () => previous.terminate('chaos: a second run for the same merchant'));
        this.secondRunKind = 'restart-mid-run';
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // Already closed: the second run comes after a completed first one.
        this.secondRunKind = 'again-after-completion';
      }
      await this.startRun();
    })();
    await this.replacing;
  }

  /** Resolves when the merchant's last run has completed; rejects with its failure. */
  async finished(): Promise<void> {
    for (;;) {
      const handle = this.handle;
      let failure: unknown;
      await untilServed(this.ctx, () => handle.result()).catch((err: unknown) => (failure = err));
      // A restart in progress owns what happens next: the terminated run's failure is expected.
      if (this.replacing) await this.replacing;
      if (this.handle !== handle) continue;
      if (failure !== undefined) throw failure;
      if (this.secondRun !== undefined && !this.secondRunStarted) {
        this.secondRunStarted = true;
        this.secondRunKind = 'again-after-completion';
        await this.startRun();
        continue;
      }
      return;
    }
  }

  /** The current run's status query, for a report on a remediation that did not finish. */
  async describe(): Promise<string> {
    try {
      const status = await this.handle.query(statusQuery);
      return JSON.stringify({ phase: status.phase, waitingFor: status.waitingFor, lastError: status.lastError });
    } catch (err) {
      return `status query failed: ${(err as Error).message}`;
    }
  }

  async terminate(reason: string): Promise<void> {
    await this.handle.terminate(reason).catch(() => undefined);
  }

  private async startRun(): Promise<void> {
    const { handle } = await untilServed(this.ctx, () => startRemediation(this.ctx.client, this.merchant.input, { taskQueue: this.ctx.taskQueue }));
    this.handle = handle;
    this.runs += 1;
  }
}

/** Calls `fn` again after a Temporal server outage (SIGKILL and restart): the client reconnects by itself. */
export async function untilServed<T>(ctx: Pick<RunsContext, 'serverUp'>, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isServerUnreachable(err) || attempt >= 30) throw err;
      await ctx.serverUp();
    }
  }
}

/** gRPC status codes UNAVAILABLE and DEADLINE_EXCEEDED (grpc.io/docs/guides/status-codes). */
const SERVER_UNREACHABLE_CODES = new Set([14, 4]);

function isServerUnreachable(err: unknown): boolean {
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && SERVER_UNREACHABLE_CODES.has(grpc.code);
}

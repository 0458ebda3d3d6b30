/**
 * Stops what was started, newest first, each step isolated so one failure does not leave the
 * rest running (a dev server holding its ports after the worker failed to stop, say).
 */
export class Lifecycle {
  readonly #steps: { name: string; stop: () => Promise<void> }[] = [];
  #stopping: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Registers how to stop something that has just been started. */
  onStop(name: string, stop: () => Promise<void>): void {
    this.#steps.push({ name, stop });
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.stop();
          this.log(`stopped ${step.name}`);
        } catch (err) {
          this.log(`could not stop ${step.name} cleanly: ${(err as Error).message}`);
        }
      }
    })();
    return this.#stopping;
  }
}

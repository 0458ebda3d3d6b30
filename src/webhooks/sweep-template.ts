import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { parseSweepInput, remediationTemplateOf, type RemediationTemplate } from '../domain/sweep-input';

/** The template, or why the Schedule has none usable. */
export type TemplateLookup = { ok: true; template: RemediationTemplate; from: 'schedule' | 'defaults' } | { ok: false; message: string };

export interface SweepTemplateOptions {
  client: Client;
  /** The sweep's Schedule (src/sweep-client.ts DEFAULT_SCHEDULE_ID). */
  scheduleId: string;
  /** How long one answer is reused; a change to the Schedule takes effect after it. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * A triage remediates as the sweep would: with the `select`, `remediation` and `closedCooldown`
 * of the sweep Schedule's input if the Schedule exists, else the sweep's defaults. Read through
 * the receiver's client (so encrypted payloads are decoded) and kept briefly, so a burst of
 * events costs one describe. A failed describe is not kept: the delivery is answered 503.
 */
export class SweepTemplateSource {
  readonly #options: Required<SweepTemplateOptions>;
  #cached?: { at: number; lookup: Promise<TemplateLookup> };

  constructor(options: SweepTemplateOptions) {
    this.#options = { ttlMs: 60_000, now: Date.now, ...options };
  }

  get(): Promise<TemplateLookup> {
    const now = this.#options.now();
    if (this.#cached && now - this.#cached.at < this.#options.ttlMs) return this.#cached.lookup;
    const lookup = this.#describe();
    const entry = { at: now, lookup };
    this.#cached = entry;
    lookup.catch(() => {
      if (this.#cached === entry) this.#cached = undefined;
    });
    return lookup;
  }

  async #describe(): Promise<TemplateLookup> {
    const { client, scheduleId } = this.#options;
    try {
      const { action } = await client.schedule.getHandle(scheduleId).describe();
      const parsed = parseSweepInput(action.type === 'startWorkflow' ? action.args?.[0] : undefined);
      if (!parsed.ok) return { ok: false, message: `Schedule ${scheduleId}: ${parsed.message}` };
      return { ok: true, template: remediationTemplateOf(parsed.input), from: 'schedule' };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return { ok: true, template: {}, from: 'defaults' };
      throw err;
    }
  }
}

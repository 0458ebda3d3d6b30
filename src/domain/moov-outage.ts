/**
 * How a remediation rides out a Moov outage. Payment APIs have incidents longer than any retry
 * budget: rather than failing, a call that keeps finding Moov down (5xx, no answer: the retry
 * table's `outage` column) stops retrying inside its activity and the workflow parks it on
 * durable timers, a few minutes apart, until Moov answers or `maxOutageWait` is spent.
 * Workflow-safe (no Node imports): the activities and the workflows read it.
 */

/**
 * Attempts of one call that may find Moov down before the activity hands the wait to the workflow:
 * the retry policy's first six (0.5 s ×1.5: about 7 s) absorb a blip; a longer run is an outage.
 */
export const OUTAGE_AFTER_ATTEMPTS = 6;

/** The parked call's first wait; each further one doubles, up to the cap. */
export const OUTAGE_FIRST_WAIT_MS = 60_000;
/** "At most a few minutes between attempts": recovery is noticed within this (plus jitter). */
export const OUTAGE_MAX_WAIT_MS = 5 * 60_000;
/**
 * Each wait is stretched or shortened by up to this fraction (the workflow's seeded random, so
 * replay is unchanged): remediations parked together do not all call again in the same second.
 */
export const OUTAGE_JITTER = 0.2;

/** The wait before the call's `parks`-th attempt after it parked (1 for the first), never below `floorMs`. */
export function outageWaitMs(parks: number, floorMs: number, random: () => number): number {
  const base = Math.min(OUTAGE_FIRST_WAIT_MS * 2 ** Math.max(0, parks - 1), OUTAGE_MAX_WAIT_MS);
  const jittered = base * (1 - OUTAGE_JITTER + 2 * OUTAGE_JITTER * random());
  return Math.max(Math.round(jittered), floorMs);
}

import { DEFAULT_OPTIONS, FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS, MIN_ACTIVE_LINK_POLL_INTERVAL_MS, MIN_FOLLOW_THROUGH_POLL_INTERVAL_MS, resolveOptions } from '../../../src/workflows/options';

/** The remediation's timing, resolved once at its start (pure: no Temporal call). */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('no options: the documented defaults, in milliseconds', () => {
  expect(resolveOptions(undefined)).toEqual({
    activeLinkPollIntervalMs: 6 * HOUR,
    maxActiveLinkWaitMs: 35 * DAY,
    expiryMarginMs: 5 * 60_000,
    uploadConcurrency: 3,
    stepRetryTimeoutMs: HOUR,
    maxOutageWaitMs: 24 * HOUR,
    followThrough: true,
    // A safety net behind Moov's webhooks (runs started before them keep 6 h: the next test).
    followThroughPollIntervalMs: 24 * HOUR,
    maxFollowThroughMs: 90 * DAY,
    maxFreshLinks: DEFAULT_OPTIONS.maxFreshLinks,
    select: {},
  });
  expect(DEFAULT_OPTIONS.maxFreshLinks).toBe(2);
});

test('runs started before the webhooks keep the 6-hour follow-through poll', () => {
  expect(resolveOptions(undefined, FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS).followThroughPollIntervalMs).toBe(6 * HOUR);
  expect(resolveOptions({ followThroughPollInterval: '2h' }, FOLLOW_THROUGH_POLL_INTERVAL_BEFORE_WEBHOOKS).followThroughPollIntervalMs).toBe(2 * HOUR);
});

test('polls tighter than the floors are raised to them (Moov\'s rate limit, history length)', () => {
  const resolved = resolveOptions({ followThroughPollInterval: '1s', activeLinkPollInterval: '5 minutes' });
  expect(resolved.followThroughPollIntervalMs).toBe(MIN_FOLLOW_THROUGH_POLL_INTERVAL_MS);
  expect(resolved.activeLinkPollIntervalMs).toBe(MIN_ACTIVE_LINK_POLL_INTERVAL_MS);
  expect([MIN_FOLLOW_THROUGH_POLL_INTERVAL_MS, MIN_ACTIVE_LINK_POLL_INTERVAL_MS]).toEqual([60_000, HOUR]);
});

test('a fresh-link budget of 0 is kept, not replaced by the default', () => {
  expect(resolveOptions({ maxFreshLinks: 0 }).maxFreshLinks).toBe(0);
});

test('durations given as text or milliseconds, and followThrough off, are taken as given', () => {
  expect(resolveOptions({ maxFollowThrough: '3 days', stepRetryTimeout: 90_000, followThrough: false, select: { currentlyDue: false } })).toMatchObject({
    maxFollowThroughMs: 3 * DAY,
    stepRetryTimeoutMs: 90_000,
    followThrough: false,
    select: { currentlyDue: false },
  });
});

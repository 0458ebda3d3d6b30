import { MoovAvailability, type AvailabilityChange } from '../../../src/moov/availability';

/** The circuit breaker on a clock the test moves. */
function breaker() {
  let now = 1_000_000;
  const changes: AvailabilityChange[] = [];
  const availability = new MoovAvailability({ failuresToOpen: 4, accountsToOpen: 2, probeIntervalMs: 5_000 }, { now: () => now, onChange: (c) => changes.push(c) });
  const fail = (account: string) => availability.settle(availability.admit(), 'down', account);
  return { availability, changes, fail, advance: (ms: number) => (now += ms), now: () => now };
}

test('opens after the configured run of calls finding Moov down, over enough accounts', () => {
  const { availability, changes, fail, advance } = breaker();
  fail('a');
  advance(100);
  fail('b');
  fail('a');
  expect(availability.isOpen).toBe(false);
  fail('b');
  expect(availability.isOpen).toBe(true);
  expect(changes).toEqual([{ open: true, at: new Date(1_000_000) }]);
});

test("one account's failures never open it", () => {
  const { availability, fail } = breaker();
  for (let i = 0; i < 20; i++) fail('a');
  expect(availability.isOpen).toBe(false);
});

test('an answer in between starts the count again', () => {
  const { availability, fail } = breaker();
  fail('a');
  fail('b');
  fail('a');
  availability.settle(availability.admit(), 'answered', 'c');
  fail('b');
  expect(availability.isOpen).toBe(false);
});

test('open: holds requests back, lets one probe through per interval, and the first answer closes it', () => {
  const { availability, changes, fail, advance } = breaker();
  for (const account of ['a', 'b', 'a', 'b']) fail(account);
  expect(availability.admit()).toEqual({ go: false, failingSince: new Date(1_000_000) });
  advance(4_999);
  expect(availability.admit().go).toBe(false);
  advance(1);
  const probe = availability.admit();
  expect(probe).toEqual({ go: true, probe: true });
  // One probe at a time, and none again within the interval.
  expect(availability.admit().go).toBe(false);
  availability.settle(probe, 'down', 'c');
  expect(availability.isOpen).toBe(true);
  advance(2_000);
  expect(availability.admit().go).toBe(false);
  advance(3_000);
  const second = availability.admit();
  expect(second).toEqual({ go: true, probe: true });
  availability.settle(second, 'answered', 'c');
  expect(availability.isOpen).toBe(false);
  expect(availability.admit()).toEqual({ go: true, probe: false });
  expect(changes.map((c) => c.open)).toEqual([true, false]);
});

test('a probe that tells nothing (aborted) frees the slot and keeps it open', () => {
  const { availability, fail, advance } = breaker();
  for (const account of ['a', 'b', 'a', 'b']) fail(account);
  advance(5_000);
  const probe = availability.admit();
  availability.settle(probe, 'unknown', 'a');
  expect(availability.isOpen).toBe(true);
  advance(5_000);
  expect(availability.admit()).toEqual({ go: true, probe: true });
});

test('a request sent before it opened that comes back answered closes it', () => {
  const { availability, fail } = breaker();
  const early = availability.admit();
  for (const account of ['a', 'b', 'a', 'b']) fail(account);
  availability.settle(early, 'answered', 'a');
  expect(availability.isOpen).toBe(false);
});

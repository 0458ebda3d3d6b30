import { PACING_MARGIN, RequestPacer, pacedRate } from '../../../src/moov';
import { maxInSlidingWindow } from '../../support/rate-peaks';

/** The pacer's bookings on a clock the test moves: when each request would leave. */
function departures(pacer: RequestPacer, clock: { now: number }, accounts: (string | undefined)[]): number[] {
  return accounts.map((account) => clock.now + pacer.book(account));
}

describe('RequestPacer', () => {
  test('a burst of one account leaves spaced at the limit less the margin, never more than the limit in any second', () => {
    const clock = { now: 1_000 };
    const pacer = new RequestPacer({ accountPerSecond: 40 }, () => clock.now);
    const times = departures(pacer, clock, Array.from({ length: 200 }, () => 'acct-a'));
    expect(times[0]).toBe(1_000); // the first goes at once
    expect(times[1]! - times[0]!).toBeCloseTo(1000 / (40 * (1 - PACING_MARGIN)), 6);
    expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(40);
    // Bunching by up to the margin's worth (25 ms at 40/s) still stays within 40 in a second.
    expect(maxInSlidingWindow(times, 1000 + 25)).toBeLessThanOrEqual(40);
    // … and the margin is all it gives up: 39 a second, sustained.
    expect((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)).toBeCloseTo(pacedRate(40), 6);
  });

  test('two accounts are paced independently; a partner cap is shared by both', () => {
    const clock = { now: 0 };
    const perAccount = new RequestPacer({ accountPerSecond: 10 }, () => clock.now);
    const interleaved = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'a' : 'b'));
    const independent = departures(perAccount, clock, interleaved);
    // Each account at its own 9.75/s: both finish in the time one needs alone.
    expect(Math.max(...independent)).toBeCloseTo((19 * 1000) / pacedRate(10), 6);

    const capped = new RequestPacer({ accountPerSecond: 10, partnerPerSecond: 10 }, () => clock.now);
    const shared = departures(capped, clock, interleaved);
    expect(Math.max(...shared)).toBeCloseTo((39 * 1000) / pacedRate(10), 6);
    expect(maxInSlidingWindow(shared, 1000)).toBeLessThanOrEqual(10);
  });

  test('waiters keep the order they asked in, across accounts under a partner cap', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 40, partnerPerSecond: 20 }, () => clock.now);
    const times = departures(pacer, clock, ['heavy', 'heavy', 'heavy', 'new', 'heavy']);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(times[3]).toBeCloseTo((3 * 1000) / pacedRate(20), 6); // the new merchant waits behind three, not behind the heavy one's backlog
  });

  test('partner-level requests (no account) have a key of their own', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 10 }, () => clock.now);
    expect(departures(pacer, clock, [undefined, undefined, 'acct'])).toEqual([0, 1000 / pacedRate(10), 0]);
  });

  test('after an idle second a key starts afresh, and forgotten accounts are paced as before', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 40 }, () => clock.now);
    for (let i = 0; i < 2000; i++) pacer.book(`acct-${i}`);
    clock.now = 5_000;
    expect(pacer.book('acct-0')).toBe(0);
    expect(pacer.book('acct-0')).toBeCloseTo(1000 / pacedRate(40), 6);
  });

  test('requests released late together (a busy event loop) still leave at most the limit in any second', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 10, partnerPerSecond: 10 }, () => clock.now);
    const slots = Array.from({ length: 40 }, (_, i) => pacer.book(i % 2 ? 'a' : 'b'));
    const left: number[] = [];
    for (const [i, slot] of slots.entries()) {
      // The loop is stalled for 400 ms after the 12th request, then runs every late one at once.
      clock.now = Math.max(clock.now, slot, i >= 12 && i < 20 ? 1_600 : 0);
      let outcome = pacer.depart(i % 2 ? 'a' : 'b');
      for (; !outcome.departure; outcome = pacer.depart(i % 2 ? 'a' : 'b')) clock.now += outcome.waitMs;
      outcome.departure.sent(); // on the socket at once
      left.push(clock.now);
    }
    expect(maxInSlidingWindow(left, 1000)).toBeLessThanOrEqual(10);
    // Without the check the stalled ones would have gone together: 8 released at 1.6 s beside the 10 before.
    expect(maxInSlidingWindow(slots.map((slot, i) => Math.max(slot, i >= 12 && i < 20 ? 1_600 : 0)), 1000)).toBeGreaterThan(10);
  });

  test('a request counts from when it is written, and until then however long it waits', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 10, partnerPerSecond: 10 }, () => clock.now);
    // A second's worth (10) leaves, and undici holds all of them (every connection busy).
    const held = [];
    for (let i = 0; i < 10; i++) {
      clock.now += pacer.book(`acct-${i}`);
      const outcome = pacer.depart(`acct-${i}`);
      expect(outcome.waitMs).toBe(0);
      held.push(outcome.departure!);
    }
    // Long after the second of their release, they still fill the window: nobody else leaves.
    clock.now = 1_500;
    const refused = pacer.depart('acct-new');
    expect(refused.departure).toBeUndefined();
    expect(refused.waitMs).toBeGreaterThan(0);
    // Written together at 1.6 s: they count for the second that follows, and then no longer.
    clock.now = 1_600;
    for (const departure of held) departure.sent();
    expect(pacer.depart('acct-new')).toEqual({ waitMs: 1_000 });
    clock.now = 2_600;
    expect(pacer.depart('acct-new').departure).toBeDefined();
  });

  test('a request written late still leaves at most the limit in any second as they reach the socket', () => {
    const clock = { now: 0 };
    const pacer = new RequestPacer({ accountPerSecond: 40, partnerPerSecond: 40 }, () => clock.now);
    const written: number[] = [];
    const unwritten: { departure: { sent(): void }; writeAt: number }[] = [];
    const writeDue = () => {
      for (const item of unwritten.filter((u) => u.writeAt <= clock.now)) {
        item.departure.sent();
        written.push(clock.now);
        unwritten.splice(unwritten.indexOf(item), 1);
      }
    };
    for (let i = 0; i < 400; i++) {
      clock.now += pacer.book(`acct-${i % 7}`);
      writeDue();
      let outcome = pacer.depart(`acct-${i % 7}`);
      for (; !outcome.departure; outcome = pacer.depart(`acct-${i % 7}`)) {
        clock.now += Math.min(outcome.waitMs, 1);
        writeDue();
      }
      // Now and then undici holds a request 42 ms before its headers go out (finding 16 of docs/benchmarks.md).
      unwritten.push({ departure: outcome.departure, writeAt: clock.now + (i % 3 === 2 ? 42 : 0) });
      writeDue();
    }
    clock.now += 100;
    writeDue();
    expect(written).toHaveLength(400);
    // The pacer's 39 a second (40 less the margin), as written.
    expect(maxInSlidingWindow(written, 1000)).toBeLessThanOrEqual(39);
  });

  test('acquire waits for its slot and an abort while waiting rejects (nothing is sent)', async () => {
    const pacer = new RequestPacer({ accountPerSecond: 1 });
    await pacer.acquire('acct');
    const controller = new AbortController();
    const waiting = pacer.acquire('acct', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('refuses a limit that is not a positive number', () => {
    expect(() => new RequestPacer({ accountPerSecond: 0 })).toThrow('accountPerSecond must be a positive number (got 0)');
    expect(() => new RequestPacer({ accountPerSecond: 40, partnerPerSecond: Number.NaN })).toThrow('partnerPerSecond must be a positive number');
  });
});

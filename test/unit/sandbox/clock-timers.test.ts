import { BusinessClock } from '../../../src/sandbox/clock';
import { ClockTimers } from '../../../src/sandbox/webhooks/clock-timers';

const HOUR = 60 * 60 * 1000;

/** A timer as a promise of the order it fired in, so tests wait on the firing itself. */
function firing(timers: ClockTimers, waitMs: number, order: string[], name: string): Promise<void> {
  return new Promise((resolve) =>
    timers.after(waitMs, () => {
      order.push(name);
      resolve();
    }),
  );
}

describe('sandbox webhooks: timers on the business clock', () => {
  let clock: BusinessClock;
  let timers: ClockTimers;
  beforeEach(() => {
    clock = new BusinessClock();
    timers = new ClockTimers(clock);
  });
  afterEach(() => timers.dispose());

  it('fires each long wait as soon as the clock is advanced past it, and not before', async () => {
    const order: string[] = [];
    const long = firing(timers, HOUR, order, 'hour');
    const longer = firing(timers, 2 * HOUR, order, 'two hours');
    clock.advance(HOUR);
    await long;
    expect(order).toEqual(['hour']);
    clock.advance(HOUR);
    await longer;
    expect(order).toEqual(['hour', 'two hours']);
  });

  it('is not held back by a clock set back (skew): the real wait still counts', async () => {
    const order: string[] = [];
    const soon = firing(timers, 20, order, 'soon');
    clock.setOffset(-HOUR);
    await soon;
    expect(order).toEqual(['soon']);
  });

  it('a cancelled timer never fires (a later one does, after its due time)', async () => {
    const order: string[] = [];
    const cancel = timers.after(10, () => order.push('cancelled'));
    const later = firing(timers, 30, order, 'later');
    cancel();
    await later;
    expect(order).toEqual(['later']);
  });

  it('cancelAll stops every timer', async () => {
    const order: string[] = [];
    timers.after(0, () => order.push('a'));
    timers.after(HOUR, () => order.push('b'));
    timers.cancelAll();
    clock.advance(2 * HOUR);
    const probe = firing(timers, 0, order, 'probe');
    await probe;
    expect(order).toEqual(['probe']);
  });
});

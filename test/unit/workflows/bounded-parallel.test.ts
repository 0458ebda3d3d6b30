import { mapBounded } from '../../../src/workflows/bounded-parallel';

/** mapBounded (the uploads' concurrency limit) has no Temporal import, so it runs as is here. */

/** A task per item that finishes only when the test says so, to control the order of completion. */
function controlledTasks() {
  const finish: ((value: string) => void)[] = [];
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const task = (item: string, index: number) =>
    new Promise<string>((resolve) => {
      started.push(index);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      finish[index] = (value) => {
        inFlight -= 1;
        resolve(value);
      };
    }).then((value) => `${item}:${value}`);
  return { task, finish, started, maxInFlight: () => maxInFlight };
}

/** Lets every pending promise callback run (no timers: microtasks only). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

test('never more than `limit` in flight; results keep the input order though tasks finish out of order', async () => {
  const t = controlledTasks();
  const all = mapBounded(['a', 'b', 'c', 'd', 'e'], 2, t.task);
  await settle();
  expect(t.started).toEqual([0, 1]);
  t.finish[1]!('1');
  await settle();
  expect(t.started).toEqual([0, 1, 2]);
  t.finish[2]!('2');
  t.finish[0]!('0');
  await settle();
  expect(t.started).toEqual([0, 1, 2, 3, 4]);
  t.finish[4]!('4');
  t.finish[3]!('3');
  await expect(all).resolves.toEqual(['a:0', 'b:1', 'c:2', 'd:3', 'e:4']);
  expect(t.maxInFlight()).toBe(2);
});

test('a limit above the item count starts every item at once', async () => {
  const t = controlledTasks();
  const all = mapBounded(['a', 'b', 'c'], 10, t.task);
  await settle();
  expect(t.started).toEqual([0, 1, 2]);
  t.finish.forEach((finish, i) => finish(String(i)));
  await expect(all).resolves.toEqual(['a:0', 'b:1', 'c:2']);
});

test('a limit below 1 still runs the items, one at a time', async () => {
  const t = controlledTasks();
  const all = mapBounded(['a', 'b'], 0, t.task);
  await settle();
  expect(t.started).toEqual([0]);
  t.finish[0]!('0');
  await settle();
  t.finish[1]!('1');
  await expect(all).resolves.toEqual(['a:0', 'b:1']);
  expect(t.maxInFlight()).toBe(1);
});

test('no items: no task, an empty result', async () => {
  const task = jest.fn(() => Promise.resolve('never'));
  await expect(mapBounded([], 3, task)).resolves.toEqual([]);
  expect(task).not.toHaveBeenCalled();
});

test('a failing task fails the whole map', async () => {
  await expect(mapBounded([1, 2], 2, (n) => (n === 2 ? Promise.reject(new Error('upload 2 failed')) : Promise.resolve(n)))).rejects.toThrow('upload 2 failed');
});

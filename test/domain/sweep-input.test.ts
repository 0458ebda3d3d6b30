import { parseSweepInput } from '../../src/domain/sweep-input';

/** A sweep's input is refused with a message naming the field, before any sweep starts. */
test.each([
  ['maxStartsPerRun 0', { maxStartsPerRun: 0 }, /maxStartsPerRun: must be a whole number of at least 1/],
  ['maxStartsPerRun fractional', { maxStartsPerRun: 2.5 }, /maxStartsPerRun: must be a whole number of at least 1/],
  ['maxStartsPerRun as text', { maxStartsPerRun: 'ten' }, /maxStartsPerRun: must be a whole number of at least 1/],
  ["closedCooldown 'soon'", { closedCooldown: 'soon' }, /closedCooldown: must be a positive duration/],
  ['closedCooldown 0', { closedCooldown: 0 }, /closedCooldown: must be/],
  ['select with an unknown key', { select: { errors: true } }, /select: Unrecognized key: "errors"/],
  ['pageSize over 500', { pageSize: 501 }, /pageSize/],
  ['select counting nothing', { select: { requirementErrors: false, currentlyDue: false } }, /select: must count requirement errors, items currently due, or both/],
])('%s is refused', (_name, input, message) => {
  const parsed = parseSweepInput(input);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) {
    expect(parsed.message).toMatch(/^Invalid sweep input: /);
    expect(parsed.message).toMatch(message);
  }
});

test('the new fields are accepted', () => {
  expect(parseSweepInput({ maxStartsPerRun: 200, closedCooldown: '3 days', select: { requirementErrors: true, currentlyDue: false } })).toMatchObject({ ok: true });
});

import { openRequirements, requirementSelectionSchema } from '../../../src/domain/open-requirements';

/** One definition of "open" for both the sweep's selection and follow-through's "resolved". */

const requirements = {
  errors: [{ capability: 'transfers', requirement: 'individual.ssn' }],
  currentlyDue: [{ capability: 'wallet', requirement: 'business.website' }],
};

test.each([
  ['by default, both kinds', undefined, ['error: transfers: individual.ssn', 'due: wallet: business.website']],
  ['errors only', { currentlyDue: false }, ['error: transfers: individual.ssn']],
  ['due items only', { requirementErrors: false }, ['due: wallet: business.website']],
  ['both named', { requirementErrors: true, currentlyDue: true }, ['error: transfers: individual.ssn', 'due: wallet: business.website']],
])('%s', (_name, select, expected) => {
  expect(openRequirements(requirements, select)).toEqual(expected);
});

test('nothing open that the selection counts: empty, which follow-through reads as resolved', () => {
  expect(openRequirements({ errors: [], currentlyDue: requirements.currentlyDue }, { currentlyDue: false })).toEqual([]);
});

test('a selection counting nothing is refused, and so is an unknown key', () => {
  expect(requirementSelectionSchema.safeParse({ requirementErrors: false, currentlyDue: false }).success).toBe(false);
  expect(requirementSelectionSchema.safeParse({ errors: true }).success).toBe(false);
  expect(requirementSelectionSchema.safeParse({ requirementErrors: false }).success).toBe(true);
});

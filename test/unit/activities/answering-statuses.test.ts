import { ApplicationFailure } from '@temporalio/common';
import { moovCallAnswering } from '../../../src/activities/moov-failure';
import { MOOV_OPERATIONS, type MoovOperationName } from '../../../src/moov';
import { moovAnswer } from '../support/moov-errors';

/**
 * Which error statuses are answers, per operation (MOOV_OPERATIONS `answers`): each is an effect
 * that already exists or is already gone, so the step goes on instead of failing. Written out
 * here so that widening the table (a status wrongly taken as "done") fails a row.
 */
const EXPECTED_ANSWERS: Record<MoovOperationName, number[]> = {
  uploadFile: [],
  listFiles: [],
  getFile: [],
  createResolutionLink: [409],
  listResolutionLinks: [],
  getResolutionLink: [404],
  disableResolutionLink: [404, 409],
  shareConnection: [409],
  getPaymentLink: [],
  updatePaymentLink: [],
  listAccounts: [],
  getAccount: [],
  listCapabilities: [],
};

const ERROR_STATUSES = [400, 401, 403, 404, 408, 409, 410, 422, 425, 429, 500, 501, 502, 503, 504];

test('every operation in the table has a row here', () => {
  expect(Object.keys(EXPECTED_ANSWERS).sort()).toEqual(Object.keys(MOOV_OPERATIONS).sort());
});

test.each(Object.entries(EXPECTED_ANSWERS) as [MoovOperationName, number[]][])('%s answers exactly %j', async (operation, expected) => {
  const answered: number[] = [];
  for (const status of ERROR_STATUSES) {
    const outcome = await moovCallAnswering(
      operation,
      () => Promise.reject(moovAnswer(operation, status)),
      (err) => `answered ${err.status}`,
    ).catch((e: unknown) => e);
    if (outcome === `answered ${status}`) answered.push(status);
    else expect(outcome).toBeInstanceOf(ApplicationFailure);
  }
  expect(answered).toEqual(expected);
});

import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { HEARTBEAT_TIMEOUT_MS, LONGEST_REQUEST_MS } from '../../../src/domain/activity-timeouts';
import { OUTAGE_FIRST_WAIT_MS, OUTAGE_MAX_WAIT_MS, outageWaitMs } from '../../../src/domain/moov-outage';
import { outageOf, parkFloorMs } from '../../../src/workflows/moov-outage';

const failed = (retryState: ConstructorParameters<typeof ActivityFailure>[3], cause: Error) => new ActivityFailure('Activity task failed', 'uploadFile', '1', retryState, 'worker', cause);
const moov = (type: string, status?: number) => ApplicationFailure.create({ type, message: `uploadFile failed: ${status ?? 'network error'}`, details: [{ status, requestId: 'r1' }] });

test.each([
  ['the activity handed the wait over', true, failed('NON_RETRYABLE_FAILURE', moov('MoovUnavailable', 503)), false],
  ['the step budget ran out on 5xx', true, failed('TIMEOUT', moov('MoovServerError', 502)), false],
  ['the step budget ran out on network errors', true, failed('TIMEOUT', moov('MoovNetworkError')), false],
  ['a probe answered 503', true, failed('MAXIMUM_ATTEMPTS_REACHED', moov('MoovServerError', 503)), true],
  ['a probe that timed out (its worker died)', true, failed('MAXIMUM_ATTEMPTS_REACHED', new TimeoutFailure(undefined, undefined, 'HEARTBEAT')), true],
  ['the step budget ran out on 429s', false, failed('TIMEOUT', moov('MoovRateLimited', 429)), false],
  ['a probe answered 429', false, failed('MAXIMUM_ATTEMPTS_REACHED', moov('MoovRateLimited', 429)), true],
  ['a 404', false, failed('NON_RETRYABLE_FAILURE', moov('MoovNotFound', 404)), false],
  ['a timeout outside a probe (the retry budget tells)', false, failed('TIMEOUT', new TimeoutFailure(undefined, undefined, 'SCHEDULE_TO_CLOSE')), false],
])('%s: outage %s', (_name, outage, err, probe) => {
  expect(outageOf(err, probe) !== undefined).toBe(outage);
});

test('the evidence keeps the last answer and its request id', () => {
  expect(outageOf(failed('TIMEOUT', moov('MoovServerError', 502)))).toEqual({ message: 'uploadFile failed: 502', status: 502, requestId: 'r1' });
});

test('waits: 1, 2, 4, then 5 minutes, ±20 %, never below the floor', () => {
  expect([1, 2, 3, 4, 5, 30].map((parks) => outageWaitMs(parks, 0, () => 0.5))).toEqual([60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  expect(outageWaitMs(1, 0, () => 0)).toBe(OUTAGE_FIRST_WAIT_MS * 0.8);
  expect(outageWaitMs(9, 0, () => 1)).toBe(OUTAGE_MAX_WAIT_MS * 1.2);
  expect(outageWaitMs(1, 175_000, () => 0)).toBe(175_000);
});

test("an upload's next attempt after parking comes after any upload of the earlier one can have landed", () => {
  expect(parkFloorMs('uploadFile')).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS + LONGEST_REQUEST_MS + 1_000);
  expect(parkFloorMs('createResolutionLink')).toBe(0);
});

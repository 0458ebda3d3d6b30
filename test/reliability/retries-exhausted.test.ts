import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { formatDuration, retriesExhausted } from '../../src/workflows/retries-exhausted';

/** The mapping itself, on failures built by hand (upstream-refusals.test.ts runs it in real workflows). */
const moov503 = () =>
  ApplicationFailure.create({
    type: 'MoovServerError',
    message: 'uploadFile failed: 503 Service Unavailable (request id r1)',
    details: [{ operation: 'uploadFile', status: 503, requestId: 'r1' }],
  });

const activityFailure = (retryState: ConstructorParameters<typeof ActivityFailure>[3], cause: Error) =>
  new ActivityFailure('Activity task failed', 'uploadFile', '1', retryState, 'worker', cause);

test('a spent budget with a Moov failure: says so, keeps the last status and request id', () => {
  const failure = retriesExhausted(activityFailure('TIMEOUT', moov503()), 3600_000)!;
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure.type).toBe('MoovRetriesExhausted');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.cause).toBeUndefined();
  expect(failure.message).toBe(
    'uploadFile: gave up retrying — its retry budget of 1 hour (stepRetryTimeout) is spent. Last Moov error: uploadFile failed: 503 Service Unavailable (request id r1)',
  );
  expect(failure.details).toEqual([
    { operation: 'uploadFile', status: 503, requestId: 'r1', lastFailureType: 'MoovServerError', retryState: 'TIMEOUT', stepRetryTimeoutMs: 3600_000 },
  ]);
});

test('a timeout carrying the last heartbeat and the attempt-before\'s failure reports all three', () => {
  const timeout = new TimeoutFailure('activity ScheduleToClose timeout', 'uploading', 'SCHEDULE_TO_CLOSE');
  Object.defineProperty(timeout, 'cause', { value: moov503() });
  const failure = retriesExhausted(activityFailure('TIMEOUT', timeout), 90_000)!;
  expect(failure.message).toBe(
    'uploadFile: gave up retrying — its retry budget of 90 seconds (stepRetryTimeout) is spent. ' +
      'The last attempt timed out (schedule-to-close) before Moov answered. It last reported: "uploading". ' +
      'Last Moov error: uploadFile failed: 503 Service Unavailable (request id r1)',
  );
  expect(failure.details?.[0]).toMatchObject({ status: 503, requestId: 'r1', lastFailureType: 'MoovServerError', lastHeartbeat: 'uploading' });
});

test('a timeout with nothing else known', () => {
  const failure = retriesExhausted(activityFailure('TIMEOUT', new TimeoutFailure(undefined, undefined, 'HEARTBEAT')), 300_000)!;
  expect(failure.message).toBe('uploadFile: gave up retrying — its retry budget of 5 minutes (stepRetryTimeout) is spent. The last attempt timed out (heartbeat) before Moov answered.');
  expect(failure.details?.[0]).toMatchObject({ lastFailureType: 'timeout:HEARTBEAT' });
  expect(failure.details?.[0]).not.toHaveProperty('status');
});

test('maximum attempts reached is reported as such', () => {
  expect(retriesExhausted(activityFailure('MAXIMUM_ATTEMPTS_REACHED', moov503()), 1000)!.message).toMatch(/^uploadFile: gave up retrying — its retry policy allows no more attempts\. Last Moov error: /);
});

test.each([
  ['a non-retryable failure', activityFailure('NON_RETRYABLE_FAILURE', moov503())],
  ['a cancellation', activityFailure('CANCEL_REQUESTED', new Error('cancelled'))],
  ['an error that is not an activity failure', new Error('boom')],
])('%s is left alone', (_name, err) => {
  expect(retriesExhausted(err, 1000)).toBeUndefined();
});

test.each([
  [1000, '1 second'],
  [5000, '5 seconds'],
  [600_000, '10 minutes'],
  [3600_000, '1 hour'],
  [35 * 24 * 3600_000, '35 days'],
  [1500, '1500 ms'],
])('formatDuration(%d) = %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});

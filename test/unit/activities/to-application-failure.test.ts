import { ApplicationFailureCategory } from '@temporalio/common';
import { toApplicationFailure } from '../../../src/activities/moov-failure';
import type { MoovError } from '../../../src/moov';
import { invalidRequest, invalidResponse, transportError } from '../../../src/moov/errors';
import { moovAnswer } from '../support/moov-errors';

/**
 * Every Moov failure condition becomes one ApplicationFailure: its type, whether Temporal retries
 * it, Moov's wait hint as nextRetryDelay, and BENIGN for an expected pause
 * (docs.temporal.io/references/failures#application-failure). The expected rows are written out
 * here, not read from FAILURE_RETRY, so a change to that table shows up as a failing row.
 */

const errno = (code: string) => Object.assign(new Error(code), { code });

const CONDITIONS: [string, string, () => MoovError, { retried: boolean; benign?: true }][] = [
  ['429 rate-limited', 'MoovRateLimited', () => moovAnswer('op', 429), { retried: true, benign: true }],
  ['500 server-error', 'MoovServerError', () => moovAnswer('op', 500), { retried: true }],
  ['504 server-error', 'MoovServerError', () => moovAnswer('op', 504), { retried: true }],
  ['501 not-implemented', 'MoovNotImplemented', () => moovAnswer('op', 501), { retried: false }],
  ['408 request-timeout', 'MoovRequestTimeout', () => moovAnswer('op', 408), { retried: true }],
  ['425 too-early', 'MoovTooEarly', () => moovAnswer('op', 425), { retried: true }],
  ['409 conflict', 'MoovConflict', () => moovAnswer('op', 409), { retried: false }],
  ['401 auth', 'MoovAuthError', () => moovAnswer('op', 401), { retried: false }],
  ['403 auth', 'MoovAuthError', () => moovAnswer('op', 403), { retried: false }],
  ['404 not-found', 'MoovNotFound', () => moovAnswer('op', 404), { retried: false }],
  ['400 validation', 'MoovValidationError', () => moovAnswer('op', 400), { retried: false }],
  ['422 validation', 'MoovValidationError', () => moovAnswer('op', 422), { retried: false }],
  ['418 client-error', 'MoovClientError', () => moovAnswer('op', 418), { retried: false }],
  ['ECONNRESET network', 'MoovNetworkError', () => transportError('op', errno('ECONNRESET')), { retried: true }],
  ['headers timeout', 'MoovTimeout', () => transportError('op', errno('UND_ERR_HEADERS_TIMEOUT')), { retried: true }],
  ['invalid request', 'InvalidRemediationInput', () => invalidRequest('op', 'accountID: required'), { retried: false }],
  ['invalid response', 'MoovInvalidResponse', () => invalidResponse('op', 200, 'req-1', 'code: required'), { retried: false }],
];

test.each(CONDITIONS)('%s → %s', (_name, type, error, { retried, benign }) => {
  const err = error();
  const failure = toApplicationFailure(err);
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(!retried);
  expect(failure.category).toBe(benign ? ApplicationFailureCategory.BENIGN : undefined);
  expect(failure.message).toBe(err.message);
  expect(failure.nextRetryDelay).toBeUndefined();
});

test('a retryable failure carries Moov\'s wait hint as nextRetryDelay, and in its details', () => {
  const failure = toApplicationFailure(moovAnswer('updatePaymentLink', 429, { requestId: 'req-429', retryAfterMs: 7_000 }));
  expect(failure.nextRetryDelay).toBe(7_000);
  expect(failure.details).toEqual([{ operation: 'updatePaymentLink', status: 429, requestId: 'req-429', retryAfterMs: 7_000 }]);
});

test('a non-retryable failure ignores a wait hint for the retry, but keeps it in its details', () => {
  const failure = toApplicationFailure(moovAnswer('uploadFile', 400, { retryAfterMs: 7_000 }));
  expect(failure.nonRetryable).toBe(true);
  expect(failure.nextRetryDelay).toBeUndefined();
  expect(failure.details?.[0]).toMatchObject({ retryAfterMs: 7_000 });
});

test('details say what an operator needs to trace it at Moov: operation, status, request id, field errors', () => {
  const failure = toApplicationFailure(moovAnswer('shareConnection', 422, { requestId: 'req-422', body: { allowScopes: { '0': 'bad scope' } } }));
  expect(failure.details).toEqual([{ operation: 'shareConnection', status: 422, requestId: 'req-422', fieldErrors: { allowScopes: { '0': 'bad scope' } } }]);
});

test('a failure without an HTTP answer has no status in its details', () => {
  const failure = toApplicationFailure(transportError('listFiles', errno('ECONNREFUSED')));
  expect(failure.details).toEqual([{ operation: 'listFiles' }]);
});

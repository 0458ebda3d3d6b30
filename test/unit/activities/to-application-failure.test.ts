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

const CONDITIONS: [string, () => MoovError, string, { retried: boolean; benign?: true }][] = [
  ['429 rate-limited', () => moovAnswer('op', 429), 'MoovRateLimited', { retried: true, benign: true }],
  ['500 server-error', () => moovAnswer('op', 500), 'MoovServerError', { retried: true }],
  ['504 server-error', () => moovAnswer('op', 504), 'MoovServerError', { retried: true }],
  ['501 not-implemented', () => moovAnswer('op', 501), 'MoovNotImplemented', { retried: false }],
  ['408 request-timeout', () => moovAnswer('op', 408), 'MoovRequestTimeout', { retried: true }],
  ['425 too-early', () => moovAnswer('op', 425), 'MoovTooEarly', { retried: true }],
  ['409 conflict', () => moovAnswer('op', 409), 'MoovConflict', { retried: false }],
  ['401 auth', () => moovAnswer('op', 401), 'MoovAuthError', { retried: false }],
  ['403 auth', () => moovAnswer('op', 403), 'MoovAuthError', { retried: false }],
  ['404 not-found', () => moovAnswer('op', 404), 'MoovNotFound', { retried: false }],
  ['400 validation', () => moovAnswer('op', 400), 'MoovValidationError', { retried: false }],
  ['422 validation', () => moovAnswer('op', 422), 'MoovValidationError', { retried: false }],
  ['418 client-error', () => moovAnswer('op', 418), 'MoovClientError', { retried: false }],
  ['ECONNRESET network', () => transportError('op', errno('ECONNRESET')), 'MoovNetworkError', { retried: true }],
  ['headers timeout', () => transportError('op', errno('UND_ERR_HEADERS_TIMEOUT')), 'MoovTimeout', { retried: true }],
  ['invalid request', () => invalidRequest('op', 'accountID: required'), 'InvalidRemediationInput', { retried: false }],
  ['invalid response', () => invalidResponse('op', 200, 'req-1', 'code: required'), 'MoovInvalidResponse', { retried: false }],
];

test.each(CONDITIONS)('%s → %s', (_name, error, type, { retried, benign }) => {
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

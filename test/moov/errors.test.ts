import { classifyStatus, MoovError } from '../../src/moov';
import { httpError, parseErrorBody, transportError } from '../../src/moov/errors';

describe('classifyStatus', () => {
  it.each([
    [409, 'conflict'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
    // RFC 9110 §15.5.9: the server gave up waiting for the request; RFC 8470 §5.2: replay later.
    [408, 'retryable'],
    [425, 'retryable'],
    // RFC 9110 §15.6.2: the server does not support the method; asking again cannot change that.
    [501, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
    [418, 'permanent'],
    [302, 'permanent'],
  ])('%d → %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('parseErrorBody', () => {
  it('takes Moov\'s {error} as the message', () => {
    expect(parseErrorBody('{"error":"link already active"}')).toEqual({ moovMessage: 'link already active' });
  });

  it('keeps 422 field maps, nested ones included', () => {
    expect(parseErrorBody('{"principalAccountID":"required","allowScopes":{"0":"bad scope"}}')).toEqual({
      fieldErrors: { principalAccountID: 'required', allowScopes: { '0': 'bad scope' } },
    });
  });

  it('keeps a short excerpt of a non-JSON body and nothing for an empty one', () => {
    expect(parseErrorBody('<html>\n  <h1>Bad   Gateway</h1></html>')).toEqual({ snippet: '<html> <h1>Bad Gateway</h1></html>' });
    expect(parseErrorBody('')).toEqual({});
    expect(parseErrorBody('x'.repeat(1000)).snippet).toHaveLength(200);
  });
});

describe('httpError messages', () => {
  it('names the operation, status, Moov message and request id', () => {
    const err = httpError({ operation: 'createResolutionLink', status: 409, requestId: 'abc', retryAfterMs: undefined, bodyText: '{"error":"an active link exists"}' });
    expect(err.message).toBe('createResolutionLink failed: 409 Conflict — an active link exists (request id abc)');
    expect(err).toMatchObject({ kind: 'http', errorClass: 'conflict', status: 409, moovMessage: 'an active link exists', requestId: 'abc' });
  });

  it('spells out 422 field errors', () => {
    const err = httpError({ operation: 'shareConnection', status: 422, requestId: 'r1', retryAfterMs: undefined, bodyText: '{"allowScopes":{"0":"unknown scope"}}' });
    expect(err.message).toBe('shareConnection failed: 422 Unprocessable Entity — allowScopes.0: unknown scope (request id r1)');
    expect(err.fieldErrors).toEqual({ allowScopes: { '0': 'unknown scope' } });
  });

  it('401 points at the credential variables by name', () => {
    const err = httpError({ operation: 'getAccount', status: 401, requestId: undefined, retryAfterMs: undefined, bodyText: '' });
    expect(err.message).toBe('getAccount failed: 401 Unauthorized — check MOOV_PUBLIC_KEY/MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN (request id none)');
  });

  it('403 names the scope the call needs', () => {
    const err = httpError({ operation: 'uploadFile', status: 403, requestId: 'r', retryAfterMs: undefined, bodyText: '', requiredScopes: ['/accounts/a1/files.write'] });
    expect(err.message).toContain('needs scope /accounts/a1/files.write');
  });

  it('429 carries the wait hint into the message and the field', () => {
    const err = httpError({ operation: 'listFiles', status: 429, requestId: 'r', retryAfterMs: 1500, bodyText: '' });
    expect(err).toMatchObject({ errorClass: 'retryable', retryAfterMs: 1500 });
    expect(err.message).toContain('retry in 1500 ms');
  });
});

describe('transportError', () => {
  const withCode = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

  it.each(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])('%s → timeout, retryable', (code) => {
    expect(transportError('op', withCode(code))).toMatchObject({ kind: 'timeout', errorClass: 'retryable', code });
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EPIPE', 'ENOTFOUND'])('%s → network, retryable', (code) => {
    expect(transportError('op', withCode(code))).toMatchObject({ kind: 'network', errorClass: 'retryable', code });
  });

  it('finds the code inside a happy-eyeballs AggregateError', () => {
    const agg = new AggregateError([withCode('ECONNREFUSED')], 'connect failed');
    expect(transportError('op', agg)).toMatchObject({ kind: 'network', errorClass: 'retryable', code: 'ECONNREFUSED' });
  });

  it('treats the client\'s own argument errors as permanent', () => {
    expect(transportError('op', withCode('UND_ERR_INVALID_ARG'))).toMatchObject({ kind: 'invalid-request', errorClass: 'permanent' });
  });

  it('serialises to JSON with its message', () => {
    const json = JSON.parse(JSON.stringify(transportError('getFile', withCode('ECONNRESET', 'read ECONNRESET')))) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'MoovError', operation: 'getFile', kind: 'network', code: 'ECONNRESET' });
    expect(json.message).toBe('getFile failed: network error — read ECONNRESET (ECONNRESET)');
  });

  it('is a MoovError', () => {
    expect(transportError('op', new Error('x'))).toBeInstanceOf(MoovError);
  });
});

import { connectionProgress, connectionWarning } from '../../../src/domain/connection-outcome';

/** What the connection step records after shareConnection, and when the operator is warned. */

test('shared with named scopes: verified, no warning', () => {
  const progress = connectionProgress({ principalAccountID: 'p-1', allowScopes: ['accounts.read', 'files.read'] }, { outcome: 'shared', requestId: 'r1' });
  expect(progress).toEqual({ principalAccountID: 'p-1', outcome: 'shared', requestedScopes: ['accounts.read', 'files.read'], requestId: 'r1' });
  expect(connectionWarning(progress)).toBeUndefined();
});

test('409 (already connected): a warning naming the principal, the scopes asked for and Moov\'s message', () => {
  const progress = connectionProgress(
    { principalAccountID: 'p-1', allowScopes: ['files.read'] },
    { outcome: 'already-connected-scopes-unverified', moovMessage: 'connection already exists' },
  );
  const warning = connectionWarning(progress);
  expect(warning).toMatch(/^connection: Moov answered 409 \(connection already exists\): a connection to p-1 already exists/);
  expect(warning).toMatch(/NOT verified that it grants files\.read/);
});

test('no scopes named: recorded as all intersecting scopes', () => {
  const progress = connectionProgress({ principalAccountID: 'p-1' }, { outcome: 'already-connected-scopes-unverified' });
  expect(progress.requestedScopes).toBe('all-intersecting');
  expect(connectionWarning(progress)).toMatch(/grants all intersecting scopes \(none were named\)/);
});

test('an older activity worker\'s already-shared means the same as unverified', () => {
  const progress = connectionProgress({ principalAccountID: 'p-1' }, { outcome: 'already-shared' });
  expect(progress.outcome).toBe('already-connected-scopes-unverified');
  expect(connectionWarning(progress)).toBeDefined();
});

import { formatStatus } from '../../src/cli/format';
import { connectionProgress, connectionWarning } from '../../src/domain/connection-outcome';
import type { RemediationInput } from '../../src/domain/remediation-input';
import type { RemediationStatus } from '../../src/domain/remediation-status';
import type { ApplicationScope } from '../../src/moov';
import { seedMerchant, seedPrincipal, startRemediationWorkflow, useWorkflowHarness } from './support/helpers';

/**
 * Moov answers 409 when the account is already connected to the principal, whatever scopes that
 * connection grants, and gives a partner no way to read them: the SDK's only read,
 * `GET /accounts/{accountID}/connected-accounts`, lists Account objects, which carry no scopes
 * (docs.moov.io/api/moov-accounts/accounts/share-connection). So a 409 must not be reported as
 * "shared with the scopes asked for": the remediation finishes, and its status says, at the top
 * and on the connection, that the scopes are unverified.
 */
const h = useWorkflowHarness();
const SHARE_ROUTE = 'POST /accounts/:accountID/connections';

async function accounts(): Promise<{ accountID: string; principalAccountID: string }> {
  return { accountID: await seedMerchant(h()), principalAccountID: await seedPrincipal(h()) };
}

function connectionInput(accountID: string, principalAccountID: string, allowScopes?: ApplicationScope[]): RemediationInput {
  return { accountID, connection: { principalAccountID, ...(allowScopes && { allowScopes }) } };
}

async function run(input: RemediationInput): Promise<RemediationStatus> {
  return (await startRemediationWorkflow(h(), input)).result();
}

test('an existing connection with fewer scopes: the outcome says the scopes are unverified, the status warns, nothing at Moov changes', async () => {
  const { accountID, principalAccountID } = await accounts();
  const first = await run(connectionInput(accountID, principalAccountID, ['accounts.read']));
  const second = await run(connectionInput(accountID, principalAccountID, ['accounts.read', 'files.read', 'transfers.write']));

  expect(first.connection).toMatchObject({ principalAccountID, outcome: 'shared', requestedScopes: ['accounts.read'] });
  expect(first.warnings).toBeUndefined();

  const [share409] = (await h().admin.requests({ accountID, route: SHARE_ROUTE })).slice(1);
  expect(share409?.status).toBe(409);
  expect(second.phase).toBe('completed');
  expect(second.connection).toEqual({
    principalAccountID,
    outcome: 'already-connected-scopes-unverified',
    requestedScopes: ['accounts.read', 'files.read', 'transfers.write'],
    moovMessage: `account ${accountID} is already connected to ${principalAccountID}`,
    requestId: share409!.requestId,
  });
  expect(second.warnings).toEqual([
    `connection: Moov answered 409 (account ${accountID} is already connected to ${principalAccountID}): a connection to ${principalAccountID} already exists, ` +
      'and Moov does not let a partner read its scopes, so it is NOT verified that it grants accounts.read, files.read, transfers.write. ' +
      'Check the connection at Moov before relying on those scopes.',
  ]);
  // The sandbox kept the first connection as it was: the 409 changed nothing.
  expect((await h().admin.state(accountID)).connections).toEqual([expect.objectContaining({ principalAccountID, allowScopes: ['accounts.read'] })]);

  const printed = formatStatus(second);
  expect(printed).toContain(`connection:      already connected to ${principalAccountID} before this run; scopes NOT verified (asked for accounts.read, files.read, transfers.write)`);
  expect(printed).toContain(`warnings:        ${second.warnings![0]}`);
});

test('no scopes named (all intersecting scopes): a 409 is unverified too, since the existing connection may grant fewer', async () => {
  const { accountID, principalAccountID } = await accounts();
  await run(connectionInput(accountID, principalAccountID, ['accounts.read']));
  const second = await run(connectionInput(accountID, principalAccountID));

  expect(second.connection).toMatchObject({ principalAccountID, outcome: 'already-connected-scopes-unverified', requestedScopes: 'all-intersecting' });
  expect(second.warnings).toEqual([expect.stringContaining('so it is NOT verified that it grants all intersecting scopes (none were named).')]);
  expect(formatStatus(second)).toContain('scopes NOT verified (asked for all intersecting scopes)');
});

test('a fresh share: shared with the scopes asked for, no warning', async () => {
  const { accountID, principalAccountID } = await accounts();
  const status = await run(connectionInput(accountID, principalAccountID));

  expect(status.connection).toEqual({ principalAccountID, outcome: 'shared', requestedScopes: 'all-intersecting', requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect(status.warnings).toBeUndefined();
  expect(formatStatus(status)).toContain(`connection:      shared with ${principalAccountID} (all intersecting scopes)`);
});

describe('rolling deploy: results and statuses recorded by older code', () => {
  const principalAccountID = 'principal-1';

  test('an older activity worker’s `already-shared` (its 409) is recorded as unverified, with the warning', () => {
    const progress = connectionProgress({ principalAccountID, allowScopes: ['files.read'] }, { outcome: 'already-shared', requestId: 'r1' });
    expect(progress).toEqual({ principalAccountID, outcome: 'already-connected-scopes-unverified', requestedScopes: ['files.read'], requestId: 'r1' });
    expect(connectionWarning(progress)).toBe(
      `connection: Moov answered 409: a connection to ${principalAccountID} already exists, and Moov does not let a partner read its scopes, ` +
        'so it is NOT verified that it grants files.read. Check the connection at Moov before relying on those scopes.',
    );
  });

  test('the CLI prints a status from older code (no requestedScopes, `already-shared`) without claiming scopes', () => {
    const old = {
      workflowId: 'w',
      accountID: 'a',
      startedAt: '2026-01-01T00:00:00.000Z',
      phase: 'completed',
      files: [],
      disabledLinks: [],
      paymentLinks: [],
      connection: { principalAccountID, outcome: 'already-shared', requestId: 'r1' },
    } satisfies RemediationStatus;
    expect(formatStatus(old).split('\n')).toContain(`  connection:      already connected to ${principalAccountID} before this run; scopes NOT verified`);
    expect(formatStatus({ ...old, connection: { principalAccountID, outcome: 'shared' } }).split('\n')).toContain(`  connection:      shared with ${principalAccountID}`);
  });
});

import type { Moov } from '@moovio/sdk';
import type { ApplicationScope } from '@moovio/sdk/models/components';
import { APIError, ConnectAccountRequestValidationError, GenericError } from '@moovio/sdk/models/errors';
import { TestSandbox, basicClient, sdkError } from './helpers';

describe('conformance (@moovio/sdk): account connections', () => {
  let sb: TestSandbox;
  let moov: Moov;
  let accountID: string;
  let principalAccountID: string;

  beforeAll(async () => {
    sb = await TestSandbox.start();
    moov = basicClient(sb.url);
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    await sb.reset();
    accountID = await sb.seedMerchant();
    principalAccountID = await sb.seedMerchant({ displayName: 'Principal' });
  });

  it('accepts the 201 empty answer, then maps the repeat 409 to GenericError', async () => {
    const res = await moov.accounts.connect({
      accountID,
      shareScopes: { principalAccountID, allowScopes: ['transfers.write', 'payment-methods.read'] },
    });
    expect(res?.headers['x-request-id']).toBeDefined();
    const state = await sb.admin('GET', `/_sandbox/accounts/${accountID}/state`);
    expect(state.connections[0].allowScopes).toEqual(['transfers.write', 'payment-methods.read']);

    const err = await sdkError(moov.accounts.connect({ accountID, shareScopes: { principalAccountID } }), GenericError, 409);
    expect(err.error).toMatch(/already connected/);
  });

  it('maps 422 to ConnectAccountRequestValidationError with allowScopes by index', async () => {
    const err = await sdkError(
      moov.accounts.connect({
        accountID,
        // The SDK's scope enum is open, so an unknown scope reaches the wire as it would from any client.
        shareScopes: { principalAccountID, allowScopes: ['accounts.read', 'bogus.scope' as ApplicationScope] },
      }),
      ConnectAccountRequestValidationError,
      422,
    );
    expect(err.allowScopes).toEqual({ '1': expect.stringMatching(/bogus\.scope/) });
    expect(err.principalAccountID).toBeUndefined();
  });

  it('maps an unknown principal to ConnectAccountRequestValidationError.principalAccountID', async () => {
    const err = await sdkError(
      moov.accounts.connect({ accountID, shareScopes: { principalAccountID: '00000000-0000-4000-8000-000000000000' } }),
      ConnectAccountRequestValidationError,
      422,
    );
    expect(err.principalAccountID).toMatch(/not found/);
  });

  it('maps an unknown sharing account to APIError 404', async () => {
    await sdkError(
      moov.accounts.connect({ accountID: '00000000-0000-4000-8000-000000000000', shareScopes: { principalAccountID } }),
      APIError,
      404,
    );
  });

  it('shows the connection in the principal’s listConnected', async () => {
    await moov.accounts.connect({ accountID, shareScopes: { principalAccountID } });
    const res = await moov.accounts.listConnected({ accountID: principalAccountID });
    expect(res.result.map((a) => a.accountID)).toEqual([accountID]);
  });
});

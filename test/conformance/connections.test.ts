import type { ApplicationScope } from '@moovio/sdk/models/components';
import { APIError, ConnectAccountRequestValidationError, GenericError } from '@moovio/sdk/models/errors';
import { sdkError, useSdkSandbox } from './helpers';

describe('conformance (@moovio/sdk): account connections', () => {
  const ctx = useSdkSandbox({ seedMerchant: true });
  let principalAccountID: string;

  beforeEach(async () => {
    principalAccountID = await ctx.sb.seedMerchant({ displayName: 'Principal' });
  });

  it('accepts the 201 empty answer, then maps the repeat 409 to GenericError', async () => {
    const res = await ctx.moov.accounts.connect({
      accountID: ctx.merchant,
      shareScopes: { principalAccountID, allowScopes: ['transfers.write', 'payment-methods.read'] },
    });
    expect(res?.headers['x-request-id']).toBeDefined();
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.connections[0].allowScopes).toEqual(['transfers.write', 'payment-methods.read']);

    const err = await sdkError(ctx.moov.accounts.connect({ accountID: ctx.merchant, shareScopes: { principalAccountID } }), GenericError, 409);
    expect(err.error).toMatch(/already connected/);
  });

  it('maps 422 to ConnectAccountRequestValidationError with allowScopes by index', async () => {
    const err = await sdkError(
      ctx.moov.accounts.connect({
        accountID: ctx.merchant,
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
      ctx.moov.accounts.connect({ accountID: ctx.merchant, shareScopes: { principalAccountID: '00000000-0000-4000-8000-000000000000' } }),
      ConnectAccountRequestValidationError,
      422,
    );
    expect(err.principalAccountID).toMatch(/not found/);
  });

  it('maps an unknown sharing account to APIError 404', async () => {
    await sdkError(
      ctx.moov.accounts.connect({ accountID: '00000000-0000-4000-8000-000000000000', shareScopes: { principalAccountID } }),
      APIError,
      404,
    );
  });

  it('like Moov, lets no one read a connection’s scopes: listConnected’s Accounts carry none, and there is no GET …/connections', async () => {
    await ctx.moov.accounts.connect({ accountID: ctx.merchant, shareScopes: { principalAccountID, allowScopes: ['transfers.write', 'files.read'] } });

    // The SDK's only read (accountsListConnected) returns components.Account, which has no scope field.
    const res = await ctx.moov.accounts.listConnected({ accountID: principalAccountID });
    expect(res.result.map((a) => a.accountID)).toEqual([ctx.merchant]);
    const raw = await ctx.sb.api('GET', `/accounts/${principalAccountID}/connected-accounts`);
    expect(raw.status).toBe(200);
    expect(raw.text).not.toMatch(/scope|transfers\.write|files\.read/i);
    // The SDK has no operation reading /accounts/{accountID}/connections (only accountsConnect's POST).
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}/connections`)).status).toBe(404);
  });

  it('shows the connection in the principal’s listConnected', async () => {
    await ctx.moov.accounts.connect({ accountID: ctx.merchant, shareScopes: { principalAccountID } });
    const res = await ctx.moov.accounts.listConnected({ accountID: principalAccountID });
    expect(res.result.map((a) => a.accountID)).toEqual([ctx.merchant]);
  });
});

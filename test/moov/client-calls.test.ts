import { MoovClient } from '../../src/moov';
import { DEFAULT_PARTNER_ACCOUNT_ID } from '../../src/sandbox';
import { ACCESS_TOKEN, PDF_BYTES, PNG_BYTES, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('files', () => {
  it('uploads a PDF as multipart with purpose and metadata, then lists and gets it', async () => {
    const accountID = await h.merchant();
    const filePath = await h.writeTemp('articles.pdf', PDF_BYTES);
    const metadata = { requirement_id: 'document.business.verification', comment: 'articles of incorporation' };

    const uploaded = await h.client.uploadFile(accountID, { filePath, filePurpose: 'business_verification', metadata });
    expect(uploaded.status).toBe(200);
    expect(uploaded.requestId).toEqual(expect.any(String));
    expect(uploaded.data).toMatchObject({
      accountID,
      fileName: 'articles.pdf',
      filePurpose: 'business_verification',
      fileStatus: 'pending',
      fileSizeBytes: PDF_BYTES.length,
    });
    expect(JSON.parse(uploaded.data.metadata ?? '')).toEqual(metadata);

    const listed = await h.client.listFiles(accountID);
    expect(listed.data.map((f) => f.fileID)).toEqual([uploaded.data.fileID]);

    const got = await h.client.getFile(accountID, uploaded.data.fileID);
    expect(got.data).toEqual(uploaded.data);
  });

  it('sends the caller-chosen fileName and omits metadata when none is given', async () => {
    const accountID = await h.merchant();
    const filePath = await h.writeTemp('scan-0001.bin', PNG_BYTES);
    const { data } = await h.client.uploadFile(accountID, { filePath, fileName: 'passport.png', filePurpose: 'identity_verification' });
    expect(data.fileName).toBe('passport.png');
    expect(data.fileSizeBytes).toBe(PNG_BYTES.length);
    // The sandbox stores "{}" when no metadata part arrives, as Moov does.
    expect(data.metadata).toBe('{}');
  });

  it('each call is exactly one request on the wire, with the pinned X-Moov-Version', async () => {
    const accountID = await h.merchant();
    await h.clearRequests();
    await h.client.listFiles(accountID);
    const log = await h.requests({ accountID });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', route: 'GET /accounts/:accountID/files', status: 200, auth: 'basic', moovVersion: 'v2026.04.00' });
  });
});

describe('resolution links', () => {
  it('creates (email), lists, gets and disables a link', async () => {
    const accountID = await h.merchant();
    const created = await h.client.createResolutionLink(accountID, { recipient: { email: 'owner@example.com' } });
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ accountID, recipient: 'owner@example.com', status: 'active', partnerAccountID: DEFAULT_PARTNER_ACCOUNT_ID });
    expect(created.data.url).toContain(created.data.code);

    const listed = await h.client.listResolutionLinks(accountID);
    expect(listed.data.map((l) => l.code)).toEqual([created.data.code]);

    const disabled = await h.client.disableResolutionLink(accountID, created.data.code);
    expect(disabled).toMatchObject({ status: 204, data: undefined });
    expect(disabled.requestId).toEqual(expect.any(String));

    const got = await h.client.getResolutionLink(accountID, created.data.code);
    expect(got.data.status).toBe('disabled');
    expect(got.data.disabledOn).toEqual(expect.any(String));
  });

  it('creates a link for a phone recipient', async () => {
    const accountID = await h.merchant();
    const { data } = await h.client.createResolutionLink(accountID, { recipient: { phone: { number: '5555555555', countryCode: '1' } } });
    expect(data.recipient).toBe('15555555555');
  });
});

describe('connections', () => {
  it('shares a connection (201, no body) with chosen scopes and with all scopes', async () => {
    const accountID = await h.merchant();
    const principal = await h.merchant();
    const shared = await h.client.shareConnection(accountID, { principalAccountID: principal, allowScopes: ['files.read', 'profile.read'] });
    expect(shared).toMatchObject({ status: 201, data: undefined });

    const other = await h.merchant();
    await expect(h.client.shareConnection(other, { principalAccountID: DEFAULT_PARTNER_ACCOUNT_ID })).resolves.toMatchObject({ status: 201 });

    const state = await h.admin<{ connections: { principalAccountID: string; allowScopes: string[] }[] }>('GET', `/_sandbox/accounts/${accountID}/state`);
    expect(state.connections).toEqual([expect.objectContaining({ principalAccountID: principal, allowScopes: ['files.read', 'profile.read'] })]);
  });
});

describe('payment links', () => {
  it('gets and updates a payment link', async () => {
    const accountID = await h.merchant();
    await h.admin('POST', `/_sandbox/accounts/${accountID}/payment-links`, { code: 'uc7ZYKrMhi' });

    const got = await h.client.getPaymentLink(accountID, 'uc7ZYKrMhi');
    expect(got.data).toMatchObject({ code: 'uc7ZYKrMhi', status: 'active', merchantAccountID: accountID });

    const updated = await h.client.updatePaymentLink(accountID, 'uc7ZYKrMhi', {
      amount: { currency: 'USD', value: 4928 },
      display: { callToAction: 'book', title: 'Yoga Class' },
      payment: {
        allowedMethods: ['card-payment', 'ach-debit-collect'],
        achDetails: { companyEntryDescription: 'Yoga Class', originatingCompanyName: 'Whole Body Fit' },
        cardDetails: { dynamicDescriptor: 'WhlBdy *Yoga' },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.data).toMatchObject({
      amount: { currency: 'USD', value: 4928 },
      display: { callToAction: 'book', title: 'Yoga Class' },
      payment: { achDetails: { companyEntryDescription: 'Yoga Class', originatingCompanyName: 'Whole Body Fit' }, cardDetails: { dynamicDescriptor: 'WhlBdy *Yoga' } },
    });
  });

  it('updates a payout link recipient', async () => {
    const accountID = await h.merchant();
    await h.admin('POST', `/_sandbox/accounts/${accountID}/payment-links`, { code: 'payout01', paymentLinkType: 'payout' });
    const { data } = await h.client.updatePaymentLink(accountID, 'payout01', {
      payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } },
    });
    expect(data.payout).toMatchObject({ allowedMethods: ['rtp-credit'], recipient: { email: 'payee@example.org' } });
  });
});

describe('accounts and capabilities', () => {
  it('lists accounts with filters, gets one, lists its capabilities with requirement errors', async () => {
    const accountID = await h.merchant({
      displayName: 'Whole Body Fit',
      email: 'owner@wholebody.example',
      capabilities: [
        {
          capability: 'collect-funds',
          status: 'pending',
          requirements: {
            currentlyDue: ['document.business.verification'],
            errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
          },
        },
      ],
    });

    const listed = await h.client.listAccounts({ capability: 'collect-funds', capabilityStatus: 'pending', count: 50, skip: 0 });
    expect(listed.data.map((a) => a.accountID)).toContain(accountID);
    expect(listed.data.every((a) => a.capabilities?.some((c) => c.capability === 'collect-funds' && c.status === 'pending'))).toBe(true);

    const all = await h.client.listAccounts();
    expect(all.data.length).toBeGreaterThanOrEqual(listed.data.length);

    const { data: account } = await h.client.getAccount(accountID);
    expect(account).toMatchObject({ accountID, displayName: 'Whole Body Fit' });
    expect(account.profile.business?.email ?? account.profile.individual?.email).toBe('owner@wholebody.example');

    const { data: capabilities } = await h.client.listCapabilities(accountID);
    expect(capabilities).toEqual([
      expect.objectContaining({
        capability: 'collect-funds',
        status: 'pending',
        requirements: {
          currentlyDue: ['document.business.verification'],
          errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }],
        },
      }),
    ]);
  });

  it('passes skip/count as query parameters', async () => {
    await h.merchant();
    await h.merchant();
    const { data } = await h.client.listAccounts({ skip: 1, count: 1 });
    expect(data).toHaveLength(1);
  });
});

describe('auth forms', () => {
  it('authenticates with a Bearer access token', async () => {
    const client = h.clientWith({ auth: { kind: 'bearer', accessToken: ACCESS_TOKEN } });
    const accountID = await h.merchant();
    await h.clearRequests();
    await expect(client.getAccount(accountID)).resolves.toMatchObject({ status: 200 });
    const [entry] = await h.requests({ accountID });
    expect(entry?.auth).toBe('bearer');
  });

  it('honours a base URL with a path prefix only when the server has one (404 otherwise)', async () => {
    const client = h.clientWith({ baseUrl: `${h.sandbox.url}/prefix` });
    const accountID = await h.merchant();
    await expect(client.getAccount(accountID)).rejects.toMatchObject({ status: 404 });
    const log = await h.requests();
    expect(log.at(-1)?.path).toBe(`/prefix/accounts/${accountID}`);
  });
});

describe('lifecycle', () => {
  it('close() is idempotent and later calls fail as retryable network errors', async () => {
    const client = new MoovClient(h.config);
    const accountID = await h.merchant();
    await client.getAccount(accountID);
    await client.close();
    await client.close();
    await expect(client.getAccount(accountID)).rejects.toMatchObject({ kind: 'network', errorClass: 'retryable' });
  });
});

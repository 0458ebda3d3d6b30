import { truncate } from 'node:fs/promises';
import { APPLICATION_SCOPES, MoovError } from '../../src/moov';
import type { UpdatePaymentLink } from '../../src/moov';
import { moovError, PDF_BYTES, PNG_BYTES, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
let accountID: string;
beforeAll(async () => {
  h = await startHarness();
  accountID = await h.merchant();
  await h.admin('POST', `/_sandbox/accounts/${accountID}/payment-links`, { code: 'plink01' });
});
afterAll(async () => {
  await h.stop();
});
beforeEach(async () => {
  await h.clearRequests();
});

/**
 * The call must be refused locally: invalid-request, permanent, a message containing `expected`,
 * and nothing in the sandbox's request log.
 */
async function expectRefused(call: () => Promise<unknown>, operation: string, expected: string): Promise<MoovError> {
  const err = await moovError(call());
  expect(err).toBeInstanceOf(MoovError);
  expect(err).toMatchObject({ kind: 'invalid-request', errorClass: 'permanent', operation });
  expect(err.message).toContain(expected);
  expect(err.message).toContain('nothing was sent to Moov');
  expect(err.status).toBeUndefined();
  expect(await h.requests()).toEqual([]);
  return err;
}

// Values that must not be passed through unchecked, with the field the message must name.
describe('createResolutionLink', () => {
  it.each<[string, unknown, string]>([
    ['both email and phone', { recipient: { email: 'a@example.com', phone: { number: '5555555555', countryCode: '1' } } }, 'recipient: provide either email or phone, not both'],
    ['neither', { recipient: {} }, 'recipient: provide either email or phone'],
    ['no recipient', {}, 'recipient: is required'],
    ['bad email', { recipient: { email: 'not-an-email' } }, 'recipient.email: must be a valid email address'],
    ['phone number too long', { recipient: { phone: { number: '55555555555', countryCode: '1' } } }, 'recipient.phone.number: must be 1–10 digits'],
    ['phone number with letters', { recipient: { phone: { number: '555-CALL' } } }, 'recipient.phone.number: must be 1–10 digits'],
    ['country code too long', { recipient: { phone: { number: '5555555555', countryCode: '44' } } }, 'recipient.phone.countryCode: must be a single digit'],
    ['unknown field', { recipient: { email: 'a@example.com' }, note: 'x' }, 'Unrecognized key: "note"'],
  ])('%s', async (_label, req, expected) => {
    await expectRefused(() => h.client.createResolutionLink(accountID, req as never), 'createResolutionLink', expected);
  });

  it('never echoes the rejected value (PII) in the message', async () => {
    const err = await expectRefused(
      () => h.client.createResolutionLink(accountID, { recipient: { email: 'jane.doe.private' } }),
      'createResolutionLink',
      'recipient.email',
    );
    expect(err.message).not.toContain('jane.doe.private');
  });
});

describe('path parameters', () => {
  it.each<[string, () => Promise<unknown>, string, string]>([
    ['empty accountID', () => h.client.getAccount(''), 'getAccount', 'accountID: must not be empty'],
    ['accountID with a slash', () => h.client.listFiles('abc/../def'), 'listFiles', "accountID: must not contain '/' or whitespace"],
    ['accountID with whitespace', () => h.client.listCapabilities(' abc'), 'listCapabilities', "accountID: must not contain '/' or whitespace"],
    ['empty fileID', () => h.client.getFile(accountID, ''), 'getFile', 'fileID: must not be empty'],
    ['code with a slash', () => h.client.getResolutionLink(accountID, 'a/b'), 'getResolutionLink', "code: must not contain '/' or whitespace"],
    ['code with a newline', () => h.client.disableResolutionLink(accountID, 'a\nb'), 'disableResolutionLink', "code: must not contain '/' or whitespace"],
    ['non-string code', () => h.client.getPaymentLink(accountID, 42 as never), 'getPaymentLink', 'code: must be a string'],
  ])('%s', async (_label, call, operation, expected) => {
    await expectRefused(call, operation, expected);
  });

  it('percent-encodes characters that are legal but special in URLs', async () => {
    const err = await moovError(h.client.getResolutionLink(accountID, 'a?b#c%'));
    expect(err.status).toBe(404);
    const [entry] = await h.requests();
    expect(entry?.path).toBe(`/accounts/${accountID}/resolution-links/a%3Fb%23c%25`);
  });
});

describe('shareConnection', () => {
  it.each<[string, unknown, string]>([
    ['empty principal', { principalAccountID: '' }, 'principalAccountID: must not be empty'],
    ['blank principal', { principalAccountID: '   ' }, 'principalAccountID: must not contain whitespace'],
    ['missing principal', {}, 'principalAccountID: is required'],
    ['unknown scope', { principalAccountID: 'p', allowScopes: ['files.read', 'files.delete'] }, 'allowScopes.1: is not a Moov application scope'],
    ['empty scope list', { principalAccountID: 'p', allowScopes: [] }, 'allowScopes: must list at least one scope'],
  ])('%s', async (_label, req, expected) => {
    await expectRefused(() => h.client.shareConnection(accountID, req as never), 'shareConnection', expected);
  });

  it('knows exactly the 32 scopes of the "Share account connection" page', () => {
    expect(APPLICATION_SCOPES).toHaveLength(32);
    expect(new Set(APPLICATION_SCOPES).size).toBe(32);
    expect(APPLICATION_SCOPES).toEqual(expect.arrayContaining(['issued-cards.read-secure', 'profile.disconnect', 'wallets.read', 'apple-pay-merchant.write']));
  });
});

describe('updatePaymentLink', () => {
  const payment = { allowedMethods: ['card-payment'] } as const;
  it.each<[string, UpdatePaymentLink | Record<string, unknown>, string]>([
    ['empty update', {}, 'provide at least one field to update'],
    ['companyEntryDescription too short', { payment: { ...payment, achDetails: { companyEntryDescription: 'Yog' } } }, 'payment.achDetails.companyEntryDescription: must be 4–10 characters'],
    ['companyEntryDescription too long', { payment: { ...payment, achDetails: { companyEntryDescription: 'Yoga Classes' } } }, 'payment.achDetails.companyEntryDescription: must be 4–10 characters'],
    ['originatingCompanyName too long', { payment: { ...payment, achDetails: { originatingCompanyName: 'Whole Body Fitness Co' } } }, 'payment.achDetails.originatingCompanyName: must be 4–16 characters'],
    ['dynamicDescriptor too long', { payment: { ...payment, cardDetails: { dynamicDescriptor: 'W'.repeat(23) } } }, 'payment.cardDetails.dynamicDescriptor: must be 4–22 characters'],
    ['dynamicDescriptor too short', { payment: { ...payment, cardDetails: { dynamicDescriptor: 'WBF' } } }, 'payment.cardDetails.dynamicDescriptor: must be 4–22 characters'],
    ['lower-case currency', { amount: { currency: 'usd', value: 100 } }, 'amount.currency: must be a 3-letter uppercase ISO 4217 code'],
    ['four-letter currency', { amount: { currency: 'USDT', value: 100 } }, 'amount.currency: must be a 3-letter uppercase ISO 4217 code'],
    ['fractional value', { amount: { currency: 'USD', value: 12.5 } }, 'amount.value: must be an integer'],
    ['negative value', { amount: { currency: 'USD', value: -1 } }, 'amount.value: must not be negative'],
    ['unknown callToAction', { display: { callToAction: 'buy' } }, 'display.callToAction: must be one of pay, book, subscribe, donate, confirm, auto'],
    ['payment without allowedMethods', { payment: { cardDetails: { dynamicDescriptor: 'WhlBdy *Yoga' } } }, 'payment.allowedMethods: is required when payment is present'],
    ['unknown payment method', { payment: { allowedMethods: ['bitcoin'] } }, 'payment.allowedMethods.0: must be one of apple-pay, card-payment, ach-debit-collect'],
    ['payout without recipient', { payout: { allowedMethods: ['rtp-credit'] } }, 'payout.recipient: is required when payout is present'],
    ['payout with bad recipient email', { payout: { allowedMethods: ['rtp-credit'], recipient: { email: 'nope' } } }, 'payout.recipient.email: must be a valid email address'],
    ['expiresOn not a date-time', { expiresOn: 'next tuesday' }, 'expiresOn: must be an ISO 8601 date-time'],
    ['expiresOn over 24 characters', { expiresOn: '2026-08-24T14:15:22.123456Z' }, 'expiresOn: must be at most 24 characters'],
    ['unknown top-level field', { status: 'disabled' }, 'Unrecognized key: "status"'],
  ])('%s', async (_label, update, expected) => {
    await expectRefused(() => h.client.updatePaymentLink(accountID, 'plink01', update as UpdatePaymentLink), 'updatePaymentLink', expected);
  });

  it('reports every problem at once', async () => {
    const err = await expectRefused(
      () =>
        h.client.updatePaymentLink(accountID, 'plink01', {
          amount: { currency: 'usd', value: 1 },
          payment: { allowedMethods: ['card-payment'], achDetails: { companyEntryDescription: 'x' } },
        }),
      'updatePaymentLink',
      'amount.currency',
    );
    expect(err.message).toContain('payment.achDetails.companyEntryDescription');
  });

  it('accepts boundary lengths and a null expiry', async () => {
    await expect(
      h.client.updatePaymentLink(accountID, 'plink01', {
        expiresOn: null,
        payment: {
          allowedMethods: ['ach-debit-collect'],
          achDetails: { companyEntryDescription: 'Yoga', originatingCompanyName: 'W'.repeat(16) },
          cardDetails: { dynamicDescriptor: 'D'.repeat(22) },
        },
      }),
    ).resolves.toMatchObject({ status: 200 });
  });
});

describe('uploadFile', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['unknown purpose', { filePurpose: 'selfie' }, 'filePurpose: must be one of identity_verification, business_verification'],
    ['unknown metadata key', { filePurpose: 'identity_verification', metadata: { owner: 'x' } }, 'metadata: Unrecognized key: "owner"'],
    ['non-string metadata value', { filePurpose: 'identity_verification', metadata: { comment: 5 } }, 'metadata.comment: Invalid input: expected string'],
    ['fileName too long', { filePurpose: 'identity_verification', fileName: `${'n'.repeat(61)}.pdf` }, 'fileName: must be at most 64 characters'],
    ['fileName extension disagrees with content', { filePurpose: 'identity_verification', fileName: 'id.png' }, 'fileName: extension of "id.png" says png but the content is pdf'],
  ])('%s', async (_label, extra, expected) => {
    const filePath = await h.writeTemp('valid.pdf', PDF_BYTES);
    await expectRefused(() => h.client.uploadFile(accountID, { filePath, ...extra } as never), 'uploadFile', expected);
  });

  it('refuses a file over 10 MB before opening a connection', async () => {
    const filePath = await h.writeTemp('huge.pdf', PDF_BYTES);
    await truncate(filePath, 10 * 1024 * 1024 + 1);
    await expectRefused(() => h.client.uploadFile(accountID, { filePath, filePurpose: 'merchant_underwriting' }), 'uploadFile', 'Moov accepts at most 10485760 bytes');
  });

  it('refuses a missing file, an empty file and mismatched content', async () => {
    await expectRefused(() => h.client.uploadFile(accountID, { filePath: `${h.tmp}/nope.pdf`, filePurpose: 'identity_verification' }), 'uploadFile', 'ENOENT');
    const empty = await h.writeTemp('empty.pdf', Buffer.alloc(0));
    await expectRefused(() => h.client.uploadFile(accountID, { filePath: empty, filePurpose: 'identity_verification' }), 'uploadFile', 'is empty');
    const disguised = await h.writeTemp('disguised.pdf', PNG_BYTES);
    await expectRefused(() => h.client.uploadFile(accountID, { filePath: disguised, filePurpose: 'identity_verification' }), 'uploadFile', 'says pdf but the content is png');
  });

  it('uploads exactly 10 MB (the limit is inclusive)', async () => {
    const filePath = await h.writeTemp('limit.pdf', PDF_BYTES);
    await truncate(filePath, 10 * 1024 * 1024);
    const { data } = await h.client.uploadFile(accountID, { filePath, filePurpose: 'merchant_underwriting' });
    expect(data.fileSizeBytes).toBe(10 * 1024 * 1024);
  });
});

describe('listAccounts', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['negative skip', { skip: -1 }, 'skip: must not be negative'],
    ['fractional count', { count: 1.5 }, 'count: must be an integer'],
    ['unknown filter', { colour: 'blue' }, 'Unrecognized key: "colour"'],
  ])('%s', async (_label, query, expected) => {
    await expectRefused(() => h.client.listAccounts(query as never), 'listAccounts', expected);
  });
});

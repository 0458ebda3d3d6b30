import type { SandboxAccountState } from '../support/sandbox-admin';
import { auditAccount, type ExpectedEffects } from '../support/sandbox-audit';

const PARTNER = '0d8e0d6e-e4a2-4f1b-8c3d-1b9e0f5a7c2d';
const EXPECTED: ExpectedEffects = {
  files: [{ fileName: 'passport.pdf', contentSHA256: 'aa' }],
  resolutionLink: { partnerAccountID: PARTNER, recipient: 'm@merchant.test' },
  connection: { principalAccountID: 'principal', allowScopes: ['accounts.read'] },
  paymentLinks: [{ code: 'pl1', update: { amount: { currency: 'USD', value: 1001 } } }],
};

function exactState(): SandboxAccountState {
  return {
    files: [{ fileID: 'f1', fileName: 'passport.pdf', filePurpose: 'identity_verification', fileStatus: 'pending', contentSHA256: 'aa' }],
    resolutionLinks: [{ code: 'L1', status: 'active', recipient: 'm@merchant.test', partnerAccountID: PARTNER, createdOn: '', expiresOn: '' }],
    connections: [{ principalAccountID: 'principal', allowScopes: ['accounts.read'] }],
    paymentLinks: [{ code: 'pl1', status: 'active', amount: { currency: 'USD', value: 1001 }, display: { title: 'Yoga' } }],
  };
}

describe('the chaos audit of one account at Moov', () => {
  it('finds nothing wrong with exactly one of everything', () => {
    expect(auditAccount(exactState(), EXPECTED)).toEqual({ duplicateFiles: 0, duplicateLinks: 0, duplicateConnections: 0, missing: 0, exact: true, findings: [] });
  });

  it('counts a second copy of a file, and a file with the right name but other bytes', () => {
    const state = exactState();
    state.files.push({ ...state.files[0]!, fileID: 'f2' }, { ...state.files[0]!, fileID: 'f3', contentSHA256: 'bb' });
    const audit = auditAccount(state, EXPECTED);
    expect(audit).toMatchObject({ duplicateFiles: 2, missing: 0, exact: false });
    expect(audit.findings).toEqual(['file passport.pdf: 2 at Moov, expected 1', 'file passport.pdf (f3) was not asked for, or has other content']);
  });

  it('counts a second link of ours and a link to the merchant by someone else as duplicates', () => {
    const state = exactState();
    const ours = state.resolutionLinks[0]!;
    state.resolutionLinks.push({ ...ours, code: 'L2', status: 'disabled' }, { ...ours, code: 'L3', partnerAccountID: 'another-partner' });
    expect(auditAccount(state, EXPECTED)).toMatchObject({ duplicateLinks: 2, missing: 0, exact: false });
  });

  it('counts a missing link, a missing connection and wrong scopes as lost', () => {
    const state = { ...exactState(), resolutionLinks: [], connections: [] };
    expect(auditAccount(state, EXPECTED)).toMatchObject({ missing: 2, exact: false });
    const narrower = { ...exactState(), connections: [{ principalAccountID: 'principal', allowScopes: ['accounts.write'] }] };
    expect(auditAccount(narrower, EXPECTED)).toMatchObject({ missing: 1, duplicateConnections: 0, exact: false });
  });

  it('wants every field of the payment-link update, compared field by field', () => {
    const state = exactState();
    state.paymentLinks[0]!.amount = { currency: 'USD', value: 1000 };
    const audit = auditAccount(state, EXPECTED);
    expect(audit).toMatchObject({ missing: 1, exact: false });
    expect(audit.findings).toEqual(['payment link pl1: is {"amount":{"currency":"USD","value":1000}}, asked {"amount":{"currency":"USD","value":1001}}']);
  });
});

import { chooseCatalogDocuments, parseDocumentCatalog, type DocumentCatalog } from '../../../src/domain/document-catalog';
import { parseRemediationInput, parseRemediationWork } from '../../../src/domain/remediation-input';

const ACCOUNT = '8b22ba36-d031-468e-b1fe-86bc6c7e6213';
const CATALOG: DocumentCatalog = {
  documents: [
    { path: 'articles.pdf', filePurpose: 'business_verification', satisfies: ['document.business.verification', 'document.business.address'] },
    { path: 'passport.png', filePurpose: 'representative_verification', satisfies: ['document.representative.verification'] },
  ],
};
const OPEN = {
  errors: [{ capability: 'collect-funds', requirement: 'document.business.address', errorCode: 'address-mismatch' }],
  currentlyDue: [
    { capability: 'collect-funds', requirement: 'document.business.verification' },
    { capability: 'send-funds', requirement: 'business.industry-codes' },
  ],
};

test('files "auto" is accepted by the input (and a sweep-started one with a link alone); any other string is refused', () => {
  expect(parseRemediationInput({ accountID: ACCOUNT, files: 'auto' })).toMatchObject({ ok: true, input: { files: 'auto' } });
  expect(parseRemediationInput({ accountID: ACCOUNT, files: 'all' })).toEqual({ ok: false, message: expect.stringContaining('files: ') });
  // A bad listed file is still named by its index and field, as before "auto" existed.
  expect(parseRemediationInput({ accountID: ACCOUNT, files: [{ path: 'a.pdf', filePurpose: 'selfie' }] })).toEqual({ ok: false, message: expect.stringContaining('files.0.filePurpose: must be one of') });
  expect(parseRemediationWork({ files: 'auto' }, ACCOUNT)).toMatchObject({ ok: true, work: { files: 'auto' } });
});

test('a document that satisfies two open requirements is chosen once, with the first as its requirement_id', () => {
  const choice = chooseCatalogDocuments(OPEN, CATALOG);

  expect(choice.files).toEqual([{ path: 'articles.pdf', filePurpose: 'business_verification', metadata: { requirement_id: 'document.business.address', error_code: 'address-mismatch' } }]);
  expect(choice.coverage.map((c) => [c.kind, c.requirement, c.coveredBy, c.path])).toEqual([
    ['error', 'document.business.address', 'document', 'articles.pdf'],
    ['due', 'document.business.verification', 'document', 'articles.pdf'],
    ['due', 'business.industry-codes', 'link', undefined],
  ]);
});

test('the selection narrows what counts as open: errors only', () => {
  const choice = chooseCatalogDocuments(OPEN, CATALOG, { currentlyDue: false });

  expect(choice.coverage.map((c) => c.requirement)).toEqual(['document.business.address']);
});

test.each([
  { name: 'a document listed twice', raw: { documents: [CATALOG.documents[0], CATALOG.documents[0]] }, message: 'lists articles.pdf again (first at documents.0): each document once' },
  { name: 'no requirement named', raw: { documents: [{ ...CATALOG.documents[0], satisfies: [] }] }, message: 'must name at least one Moov requirement' },
  { name: 'an unknown key', raw: { documents: [], owner: 'x' } , message: 'Invalid catalog.json' },
])('a catalog with $name is refused with a specific message', ({ raw, message }) => {
  expect(parseDocumentCatalog(raw)).toEqual({ ok: false, message: expect.stringContaining(message) });
});

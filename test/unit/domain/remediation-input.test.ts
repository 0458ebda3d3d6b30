import { normalizeRelativePath, parseRemediationInput } from '../../../src/domain/remediation-input';

/**
 * The input checks the workflow runs on itself (the full matrix, through the client and a real
 * workflow, is test/reliability/bad-input-matrix.test.ts): here the path rules behind them.
 */

test.each([
  ['a/./b.pdf', 'a/b.pdf'],
  ['a//b.pdf', 'a/b.pdf'],
  ['./a.pdf', 'a.pdf'],
  ['a\\b.pdf', 'a/b.pdf'],
  ['a/b.pdf', 'a/b.pdf'],
])('%s names the file %s', (path, normalized) => {
  expect(normalizeRelativePath(path)).toBe(normalized);
});

const withFiles = (files: unknown[]) => ({ accountID: 'acct-1', files });
const file = (path: string, filePurpose = 'identity_verification') => ({ path, filePurpose });

test.each([
  ['an absolute path', [file('/etc/passwd')], /files\.0\.path: must be relative to FILES_ROOT, not absolute/],
  ['a Windows drive path', [file('C:\\docs\\a.pdf')], /files\.0\.path: must be relative to FILES_ROOT/],
  ["a '..' segment", [file('a/../../b.pdf')], /files\.0\.path: must not contain '\.\.'/],
  ['the same file twice under two spellings', [file('a.pdf'), file('./a.pdf')], /files\.1: is the same file and purpose as files\.0/],
])('%s is refused', (_name, files, message) => {
  const parsed = parseRemediationInput(withFiles(files));
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.message).toMatch(message);
});

test('one file for two purposes is two uploads, and accepted', () => {
  expect(parseRemediationInput(withFiles([file('a.pdf'), file('./a.pdf', 'business_verification')]))).toMatchObject({ ok: true });
});

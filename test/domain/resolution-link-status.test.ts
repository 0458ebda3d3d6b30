import { effectiveLinkStatus } from '../../src/domain/resolution-link-status';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const FUTURE = '2026-12-08T12:00:00Z';
const PAST = '2026-11-30T12:00:00Z';

test.each([
  ['a status Moov sent wins, whatever the dates say', { status: 'submitted', expiresOn: PAST }, 'submitted'],
  ['no status, disabledOn set: disabled', { disabledOn: PAST, expiresOn: FUTURE }, 'disabled'],
  ['no status, expiresOn passed: expired', { expiresOn: PAST }, 'expired'],
  ['no status, expiresOn exactly now: expired', { expiresOn: new Date(NOW).toISOString() }, 'expired'],
  ['no status, expiresOn ahead: active', { expiresOn: FUTURE }, 'active'],
])('%s', (_name, link, expected) => {
  expect(effectiveLinkStatus(link, NOW)).toBe(expected);
});

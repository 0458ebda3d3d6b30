import { describePhase, formatStatus } from '../../../src/cli/format';
import type { RemediationStatus } from '../../../src/domain/remediation-status';

const parked: RemediationStatus = {
  workflowId: 'remediation-acct',
  accountID: 'acct',
  startedAt: '2026-12-02T10:00:00.000Z',
  phase: 'waiting-for-moov',
  files: [],
  disabledLinks: [],
  paymentLinks: [],
  moovOutage: {
    operation: 'createResolutionLink',
    since: '2026-12-02T10:00:07.000Z',
    nextAttemptAt: '2026-12-02T10:12:00.000Z',
    parks: 3,
    parkedCalls: 1,
    lastError: 'createResolutionLink failed: 503 Service Unavailable (request id r9)',
    status: 503,
    requestId: 'r9',
    giveUpAt: '2026-12-03T10:00:07.000Z',
  },
};

test('a remediation parked for a Moov outage says since when, the next attempt and when it gives up', () => {
  expect(describePhase(parked)).toBe(
    'waiting-for-moov: Moov unavailable since 2026-12-02T10:00:07.000Z (createResolutionLink: createResolutionLink failed: 503 Service Unavailable (request id r9)); ' +
      'next attempt 2026-12-02T10:12:00.000Z, gives up 2026-12-03T10:00:07.000Z',
  );
  const text = formatStatus(parked);
  expect(text).toContain('moov outage:');
  expect(text).toContain('unavailable since 2026-12-02T10:00:07.000Z for createResolutionLink (1 call(s) parked, 3 attempt(s) since)');
  expect(text).toContain('next attempt 2026-12-02T10:12:00.000Z; gives up 2026-12-03T10:00:07.000Z; last: createResolutionLink failed');
});

import type { RemediationListEntry } from '../../../src/client';
import { formatRemediationList } from '../../../src/cli/format';

/**
 * The `list` table's `last change` column: RemediationPhaseChangedAt when the run has it, else
 * (a run that recorded its last phase before the attribute existed) its close time, else `-`.
 * What visibility answers for each kind of run is checked on a real server in test/e2e/list.test.ts
 * and test/client/list-continued-as-new.test.ts.
 */
const entry = (over: Partial<RemediationListEntry>): RemediationListEntry => ({
  workflowId: 'remediation-a',
  runId: 'r',
  accountID: 'a',
  phase: 'awaiting-merchant',
  status: 'RUNNING',
  startedAt: '2026-11-20T09:12:00.123Z',
  ...over,
});

const cells = (table: string) => table.split('\n').slice(1, -1).map((line) => line.split(/\s{2,}/));

test('last change: the phase time, else the close time, else -', () => {
  const table = formatRemediationList([
    entry({ accountID: 'changed', phaseChangedAt: '2026-11-21T10:00:00.456Z' }),
    entry({ accountID: 'changed-closed', status: 'COMPLETED', phase: 'resolved', phaseChangedAt: '2026-11-22T08:00:01.000Z', closedAt: '2026-11-22T08:00:02.000Z' }),
    entry({ accountID: 'old-closed', status: 'FAILED', phase: 'failed', closedAt: '2026-11-23T11:40:12.999Z' }),
    entry({ accountID: 'old-running' }),
  ]);

  expect(table.split('\n')[0]).toMatch(/^account\s+phase\s+status\s+started\s+closed\s+last change$/);
  expect(cells(table)).toEqual([
    ['changed', 'awaiting-merchant', 'RUNNING', '2026-11-20T09:12:00Z', '-', '2026-11-21T10:00:00Z'],
    ['changed-closed', 'resolved', 'COMPLETED', '2026-11-20T09:12:00Z', '2026-11-22T08:00:02Z', '2026-11-22T08:00:01Z'],
    ['old-closed', 'failed', 'FAILED', '2026-11-20T09:12:00Z', '2026-11-23T11:40:12Z', '2026-11-23T11:40:12Z'],
    ['old-running', 'awaiting-merchant', 'RUNNING', '2026-11-20T09:12:00Z', '-', '-'],
  ]);
  expect(table.split('\n').at(-1)).toBe('4 remediation(s)');
});

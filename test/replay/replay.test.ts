import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleOptionsFor } from '../../src/workflow-code';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The deploy guard (docs/deploying.md): every recorded history of the current workflows must
 * replay against the workflow code in this checkout. A change that would break remediations
 * already running (a reordered, added or removed activity, timer or child workflow, without
 * patched()) fails here before it ships. Histories come from `npm run record-histories`.
 */
const HISTORIES = path.resolve(__dirname, '../fixtures/histories');
const SCENARIOS = [
  'remediation-happy-path',
  'remediation-409-wait-then-create',
  'remediation-adopted-link',
  'remediation-replace-link',
  'remediation-follow-through-resolved',
  'remediation-mark-resolved',
  'remediation-cancelled',
  'remediation-failed',
  'remediation-own-link-earlier-run',
  'remediation-link-wait-moov-clock-behind',
  'remediation-durable-wait-hint',
  'remediation-outage-parks',
  'remediation-outage-too-long',
  'remediation-mark-resolved-during-check',
  'remediation-add-work-during-link-wait',
  'remediation-add-work-follow-through',
  'remediation-link-wait-webhook',
  'remediation-auto-files',
  'remediation-auto-files-all-covered',
  'remediation-follow-through-continue-as-new-run1',
  'remediation-follow-through-continue-as-new-run2',
  'sweep-starts-children',
  'sweep-continue-as-new-run1',
  'sweep-continue-as-new-run2',
  'sweep-continue-as-new-run3',
  'sweep-continue-as-new-run4',
  'account-event-triage-starts-remediation',
  'account-event-triage-nothing-open',
];
const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json')).sort();
const load = (file: string): History => historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let bundle: WorkflowBundle;
beforeAll(async () => {
  // Bundled once with the worker's own options (src/workflows, its shared modules), and shared by every replay.
  bundle = await bundleWorkflowCode(bundleOptionsFor({}, require.resolve('../../src/workflows'), silent));
}, 60_000);

test('every scenario has a recorded history', () => {
  expect(files).toEqual(expect.arrayContaining(SCENARIOS.map((name) => `${name}.json`)));
});

test.each(files)('%s replays against the current workflow code', async (file) => {
  await Worker.runReplayHistory({ workflowBundle: bundle }, load(file), file);
});

/** A history's upsert events as lang issued them: Core's own TemporalChangeVersion upserts (patch markers) left out. */
function recordedUpserts(history: History): Record<string, string>[] {
  return (history.events ?? [])
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
    .filter((fields) => fields != null && Object.keys(fields).some((name) => name !== 'TemporalChangeVersion'))
    .map((fields) => Object.fromEntries(Object.entries(fields!).map(([name, p]) => [name, Buffer.from(p.data ?? []).toString('utf8')])));
}

describe('search attribute upserts replay as recorded (content, which the SDK does not compare)', () => {
  let recording: WorkflowBundle;
  beforeAll(async () => {
    recording = await bundleWorkflowCode(
      bundleOptionsFor({ workflowInterceptorModules: [require.resolve('./support/upsert-recorder')] }, require.resolve('../../src/workflows'), silent),
    );
  }, 60_000);

  test.each(files)('%s', async (file) => {
    const history = load(file);
    const replayed: Record<string, string>[] = [];
    const record = (_info: unknown, fields: [string, Uint8Array][]) => {
      replayed.push(Object.fromEntries(fields.map(([name, data]) => [name, Buffer.from(data).toString('utf8')])));
    };
    await Worker.runReplayHistory({ workflowBundle: recording, sinks: { upserts: { record: { fn: record, callDuringReplay: true } } } }, history, file);
    // Same attributes, same values (a phase's time is the workflow clock, the same on replay), same order.
    expect(replayed).toEqual(recordedUpserts(history));
  });

  test('the happy path before phase-changed-at upserts the phase alone; re-recorded, each upsert carries its time', () => {
    const before = recordedUpserts(load('remediation-happy-path.before-phase-time.json'));
    const after = recordedUpserts(load('remediation-happy-path.json'));
    expect(before.length).toBeGreaterThan(0);
    for (const fields of before) expect(Object.keys(fields)).not.toContain('RemediationPhaseChangedAt');
    expect(after.map((fields) => Object.keys(fields).filter((name) => name !== 'MoovAccountID'))).toEqual(after.map(() => ['RemediationPhase', 'RemediationPhaseChangedAt']));
    expect(after.map((fields) => fields.RemediationPhase)).toEqual(before.map((fields) => fields.RemediationPhase));
  });
});

test('the guard works: a workflow that shares the connection before creating the link, without a patch, does not replay', async () => {
  const reordered = await bundleWorkflowCode({ workflowsPath: require.resolve('./support/reordered-workflow'), logger: silent });
  // Recorded before link-step-last, when the link came before the connection.
  const beforePatch = load('remediation-happy-path.before-exactly-once.json');
  await expect(Worker.runReplayHistory({ workflowBundle: reordered }, beforePatch, 'reordered')).rejects.toThrow(
    DeterminismViolationError,
  );
}, 60_000);

import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
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
  'remediation-mark-resolved-during-check',
  'remediation-add-work-during-link-wait',
  'remediation-add-work-follow-through',
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
  // Bundled once, like the worker's own bundle (src/workflows), and shared by every replay.
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: silent });
}, 60_000);

test('every scenario has a recorded history', () => {
  expect(files).toEqual(expect.arrayContaining(SCENARIOS.map((name) => `${name}.json`)));
});

test.each(files)('%s replays against the current workflow code', async (file) => {
  await Worker.runReplayHistory({ workflowBundle: bundle }, load(file), file);
});

test('the guard works: a workflow that shares the connection before creating the link, without a patch, does not replay', async () => {
  const reordered = await bundleWorkflowCode({ workflowsPath: require.resolve('./support/reordered-workflow'), logger: silent });
  // Recorded before link-step-last, when the link came before the connection.
  const beforePatch = load('remediation-happy-path.before-exactly-once.json');
  await expect(Worker.runReplayHistory({ workflowBundle: reordered }, beforePatch, 'reordered')).rejects.toThrow(
    DeterminismViolationError,
  );
}, 60_000);

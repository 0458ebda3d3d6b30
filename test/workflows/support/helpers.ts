import { WorkflowFailedError, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { RemediationInput } from '../../../src/domain/remediation-input';
import type { RemediationPhase, RemediationStatus } from '../../../src/domain/remediation-status';
import type { AccountEventTriageInput, AccountEventTriageResult } from '../../../src/domain/account-event-triage';
import { accountEventWorkflowId, remediationWorkflowId } from '../../../src/domain/workflow-ids';
import { accountEventTriage, merchantRemediation } from '../../../src/workflows';
import { statusQuery } from '../../../src/workflows/definitions';
import type { SandboxOptions } from '../../../src/sandbox';
import { writeAccountFiles } from '../../support/demo-files';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow-harness';

export const MERCHANT_EMAIL = 'owner@merchant.test';

/** One harness per test file (servers and a worker are costly), with clocks lined up before each test. */
export function useWorkflowHarness(sandboxOptions: SandboxOptions = {}): () => WorkflowHarness {
  let harness: WorkflowHarness | undefined;
  beforeAll(async () => {
    harness = await startWorkflowHarness('time-skipping', sandboxOptions);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    await alignSandboxClock(harness!);
  });
  return () => harness!;
}

/** A merchant needing a business document, with the sample files in its folder (FILES_ROOT/<accountID>/). */
export async function seedMerchant(h: WorkflowHarness): Promise<string> {
  const { accountID } = await h.admin.seedAccount({
    displayName: 'Blue Bottle Yoga',
    accountType: 'business',
    email: MERCHANT_EMAIL,
    capabilities: [
      {
        capability: 'collect-funds',
        status: 'pending',
        requirements: { currentlyDue: ['document.business.verification'], errors: [{ requirement: 'document.business.verification', errorCode: 'document-name-mismatch' }] },
      },
    ],
  });
  await writeAccountFiles(h.filesRoot, accountID);
  return accountID;
}

export async function seedPrincipal(h: WorkflowHarness): Promise<string> {
  return (await h.admin.seedAccount({ displayName: 'Platform Partner', accountType: 'business' })).accountID;
}

/**
 * The sandbox's business clock and the time-skipping server's clock both only move forward and
 * are moved independently by tests; line the sandbox up so "now" means the same to both.
 */
export async function alignSandboxClock(h: WorkflowHarness): Promise<void> {
  const [envNow, sandbox] = await Promise.all([h.env.currentTimeMs(), h.admin.clock()]);
  const behind = envNow - Date.parse(sandbox.now);
  if (behind > 0) await h.admin.advanceClock(behind);
}

/**
 * Starts a remediation. Follow-through is off unless the test turns it on: most tests are about
 * the steps, and the seeded merchant's requirements never clear by themselves.
 */
export function startRemediationWorkflow(h: WorkflowHarness, input: RemediationInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof merchantRemediation>> {
  return h.env.client.workflow.start(merchantRemediation, {
    taskQueue: h.taskQueue,
    workflowId: remediationWorkflowId(input.accountID),
    args: [{ ...input, options: { followThrough: false, ...input.options } }],
  });
}

/** Runs an account event's triage to its result, as a webhook delivery starts it. */
export function runTriage(h: WorkflowHarness, input: AccountEventTriageInput): Promise<AccountEventTriageResult> {
  return h.env.client.workflow.execute(accountEventTriage, { taskQueue: h.taskQueue, workflowId: accountEventWorkflowId(input.accountID), args: [input] });
}

/** Polls the status query (real time, no time skipping) until `reached` holds for it. */
export async function waitForStatus(
  handle: WorkflowHandle<typeof merchantRemediation>,
  what: string,
  reached: (status: RemediationStatus) => boolean,
  deadlineMs = 30_000,
): Promise<RemediationStatus> {
  const deadline = Date.now() + deadlineMs;
  let last: RemediationStatus | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(statusQuery);
      if (reached(last)) return last;
    } catch {
      // first workflow task not processed yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`workflow never reached ${what}; last status: ${JSON.stringify(last)}`);
}

export function waitForPhase(handle: WorkflowHandle<typeof merchantRemediation>, phase: RemediationPhase, deadlineMs = 30_000): Promise<RemediationStatus> {
  return waitForStatus(handle, `phase ${phase}`, (status) => status.phase === phase, deadlineMs);
}

/** The ApplicationFailure at the root of a failed workflow (through an ActivityFailure if any). */
export async function rootFailure(result: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await result;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    let cause: unknown = err.cause;
    if (cause instanceof ActivityFailure) cause = cause.cause;
    if (cause instanceof ApplicationFailure) return cause;
    throw new Error(`unexpected failure cause: ${String(cause)}`);
  }
  throw new Error('workflow did not fail');
}

export function elapsedMs(status: RemediationStatus): number {
  return Date.parse(status.finishedAt ?? '') - Date.parse(status.startedAt);
}

export const HOUR = 3600_000;

import { ActivityFailure, ApplicationFailure, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE } from '../domain/search-attributes';
import { PHASE_DESCRIPTIONS, type LastError, type RemediationPhase, type RemediationStatus, type TerminalPhase } from '../domain/remediation-status';
import { logPhase, recordOutcome } from './outcome-metrics';

const TERMINAL = new Set<RemediationPhase>(['completed', 'resolved', 'unresolved', 'failed', 'cancelled']);

/**
 * The remediation's live status: what the `status` query returns and what the result reports.
 * Every phase change is mirrored to the RemediationPhase search attribute for the Temporal UI.
 */
export class StatusTracker {
  readonly status: RemediationStatus;

  /** `carried`: the status a previous run of this remediation handed over when it continued as new. */
  constructor(accountID: string, carried?: RemediationStatus) {
    const info = workflowInfo();
    this.status = carried ?? {
      workflowId: info.workflowId,
      accountID,
      startedAt: new Date(info.startTime).toISOString(),
      phase: 'starting',
      files: [],
      disabledLinks: [],
      paymentLinks: [],
    };
    // A continued run's search attributes are copied from the previous run: nothing to upsert.
    if (carried) return;
    upsertSearchAttributes([
      { key: MOOV_ACCOUNT_ID, value: accountID },
      { key: REMEDIATION_PHASE, value: 'starting' },
    ]);
  }

  setPhase(phase: RemediationPhase): void {
    if (phase !== 'waiting-for-active-link') delete this.status.waitingFor;
    if (this.status.phase === phase) return;
    this.status.phase = phase;
    upsertSearchAttributes([{ key: REMEDIATION_PHASE, value: phase }]);
    if (!TERMINAL.has(phase)) logPhase(phase, this.status.accountID);
    this.describeWait(PHASE_DESCRIPTIONS[phase]);
  }

  /** The Temporal UI's "current details" for this workflow: what it is doing or waiting for. */
  describeWait(details: string): void {
    setCurrentDetails(`**${this.status.accountID}** · ${details}`);
  }

  finish(phase: TerminalPhase): RemediationStatus {
    this.setPhase(phase);
    this.status.finishedAt = new Date().toISOString();
    recordOutcome(phase, this.status.accountID);
    return this.snapshot();
  }

  recordError(err: unknown): void {
    this.status.lastError = describeFailure(err);
  }

  snapshot(): RemediationStatus {
    return JSON.parse(JSON.stringify(this.status)) as RemediationStatus;
  }
}

/** Moov's status and request id travel in an ApplicationFailure's first detail (see activities). */
export function describeFailure(err: unknown): LastError {
  const at = new Date().toISOString();
  const failure = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (failure instanceof ApplicationFailure) {
    const detail = (failure.details?.[0] ?? {}) as { status?: number; requestId?: string };
    return {
      type: failure.type ?? 'ApplicationFailure',
      message: failure.message,
      ...(detail.status !== undefined && { status: detail.status }),
      ...(detail.requestId !== undefined && { requestId: detail.requestId }),
      at,
    };
  }
  return { type: (failure as Error)?.name ?? 'Error', message: (failure as Error)?.message ?? String(failure), at };
}

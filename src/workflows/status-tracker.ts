import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT } from '../domain/search-attributes';
import type { ConnectionProgress } from '../domain/connection-outcome';
import type { FileUploadPlan, UploadedFile } from '../domain/activity-contracts';
import type { FileToUpload } from '../domain/remediation-input';
import type { RequirementCoverage } from '../domain/document-catalog';
import {
  PHASE_DESCRIPTIONS,
  type ActiveLinkWait,
  type FollowThroughProgress,
  type LastError,
  type LinkProgress,
  type MoovOutage,
  type RemediationPhase,
  type RemediationStatus,
  type TerminalPhase,
} from '../domain/remediation-status';
import { logPhase, recordOutcome } from './outcome-metrics';
import { PATCHES } from './patches';

const TERMINAL = new Set<RemediationPhase>(['completed', 'resolved', 'unresolved', 'failed', 'cancelled']);

/**
 * The remediation's live status, and its one owner: what the `status` query returns and what the
 * result reports. Steps record what happened through its methods and read it through `current`;
 * nothing else writes it (the model: Temporal's safe message handlers sample,
 * github.com/temporalio/samples-typescript/tree/main/message-passing/safe-message-handlers).
 * Every phase change is mirrored to the RemediationPhase search attribute for the Temporal UI,
 * with the time of the change in RemediationPhaseChangedAt (for `list`).
 */
export class StatusTracker {
  private readonly status: RemediationStatus;
  /** Calls parked for a Moov outage, by call number (activity-proxies.ts), and the phase they interrupted. */
  private readonly outages = new Map<number, Omit<MoovOutage, 'parkedCalls'>>();
  private phaseBeforeOutage: RemediationPhase | undefined;

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
    // A continued run's search attributes are carried over from the previous run
    // (docs.temporal.io/search-attribute): the phase and when it last changed, which continuing
    // does not change. Nothing to upsert.
    if (carried) return;
    upsertPhase('starting', [{ key: MOOV_ACCOUNT_ID, value: accountID }]);
  }

  /** `files: "auto"`: how each open requirement is covered (a catalog document or the link). */
  requirementsCovered(coverage: RequirementCoverage[]): void {
    this.status.requirementCoverage = coverage;
  }

  setPhase(phase: RemediationPhase): void {
    if (phase !== 'waiting-for-active-link') delete this.status.waitingFor;
    if (this.status.phase === phase) return;
    this.status.phase = phase;
    upsertPhase(phase);
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

  /** The phase the steps are in: while a call is parked for a Moov outage, the one it interrupted. */
  get stepPhase(): RemediationPhase {
    return this.status.phase === 'waiting-for-moov' ? (this.phaseBeforeOutage ?? this.status.phase) : this.status.phase;
  }

  /** The status as it is now, to read (the step's own records go through the methods below). */
  get current(): Readonly<RemediationStatus> {
    return this.status;
  }

  // Moov outages

  /**
   * Call `call` parked for a Moov outage (or, undefined, is past it). While any call is parked the
   * phase is `waiting-for-moov` and the status says since when and what comes next (the earliest
   * parked call's); when the last one goes on, the interrupted phase is back. Not through setPhase:
   * the interrupted phase keeps what it recorded (a link wait's waitingFor).
   */
  moovOutage(call: number, outage: Omit<MoovOutage, 'parkedCalls'> | undefined): void {
    if (outage) this.outages.set(call, outage);
    else this.outages.delete(call);
    const earliest = [...this.outages.values()].sort((a, b) => a.since.localeCompare(b.since))[0];
    if (earliest) {
      this.status.moovOutage = { ...earliest, parkedCalls: this.outages.size };
      if (this.status.phase !== 'waiting-for-moov') {
        this.phaseBeforeOutage = this.status.phase;
        this.status.phase = 'waiting-for-moov';
        upsertPhase('waiting-for-moov');
      }
      this.describeWait(`Moov unavailable since ${earliest.since} (${earliest.operation}: ${earliest.lastError}); next attempt at ${earliest.nextAttemptAt}`);
      return;
    }
    delete this.status.moovOutage;
    if (this.status.phase !== 'waiting-for-moov') return;
    this.status.phase = this.phaseBeforeOutage ?? 'starting';
    upsertPhase(this.status.phase);
    this.describeWait(PHASE_DESCRIPTIONS[this.status.phase]);
  }

  // Files

  /** Adds the files to the status (work added later comes after the input's); answers the first one's index. */
  filesRequested(files: FileToUpload[]): number {
    const first = this.status.files.length;
    this.status.files.push(...files.map((file) => ({
      path: file.path,
      ...(file.fileName !== undefined && { fileName: file.fileName }),
      filePurpose: file.filePurpose,
      ...(file.metadata?.requirement_id !== undefined && { requirementID: file.metadata.requirement_id }),
      state: 'pending' as const,
    })));
    return first;
  }

  /** `first`: the status index of the plan's first file (filesRequested's answer). */
  filesPlanned(plan: FileUploadPlan, first: number): void {
    for (const planned of plan.files) {
      const progress = this.status.files[first + planned.index];
      if (!progress) continue;
      progress.fileName = planned.fileName;
      if (planned.existingFileID) {
        Object.assign(progress, { state: 'already-present', fileID: planned.existingFileID, fileStatus: planned.existingFileStatus });
      }
    }
  }

  fileUploading(index: number): void {
    const progress = this.status.files[index];
    if (progress) progress.state = 'uploading';
  }

  fileUploaded(index: number, uploaded: UploadedFile): void {
    const progress = this.status.files[index];
    if (!progress) return;
    Object.assign(progress, {
      state: uploaded.outcome === 'already-present' ? 'already-present' : 'uploaded',
      fileID: uploaded.fileID,
      fileStatus: uploaded.fileStatus,
      requestId: uploaded.requestId,
    });
  }

  fileFailed(index: number): void {
    const progress = this.status.files[index];
    if (progress) progress.state = 'failed';
  }

  /** Moov's review of an uploaded file (its status, and its reason when it rejected it). */
  fileReviewed(fileID: string, fileStatus: string, decisionReason?: string): void {
    const file = this.status.files.find((f) => f.fileID === fileID);
    if (!file) return;
    file.fileStatus = fileStatus;
    if (decisionReason !== undefined) file.decisionReason = decisionReason;
  }

  // Connection and payment links

  connectionShared(progress: ConnectionProgress, warning: string | undefined): void {
    this.status.connection = progress;
    if (warning) (this.status.warnings ??= []).push(warning);
  }

  /** Answers each code's status index: a link updated again (added work) keeps its entry, back to pending. */
  paymentLinksRequested(codes: string[]): number[] {
    return codes.map((code) => {
      const known = this.status.paymentLinks.findIndex((link) => link.code === code);
      if (known === -1) return this.status.paymentLinks.push({ code, state: 'pending' }) - 1;
      this.status.paymentLinks[known] = { code, state: 'pending' };
      return known;
    });
  }

  paymentLinkUpdating(index: number): void {
    const progress = this.status.paymentLinks[index];
    if (progress) progress.state = 'updating';
  }

  paymentLinkUpdated(index: number, updated: { status?: string; requestId?: string }): void {
    const progress = this.status.paymentLinks[index];
    if (progress) Object.assign(progress, { state: 'updated', status: updated.status, requestId: updated.requestId });
  }

  // Resolution link

  resolutionLinkSent(link: LinkProgress): void {
    this.status.resolutionLink = link;
  }

  resolutionLinkStatus(status: string): void {
    if (this.status.resolutionLink) this.status.resolutionLink.status = status;
  }

  waitingForActiveLink(wait: ActiveLinkWait): void {
    this.status.waitingFor = wait;
  }

  activeLinkDisabled(code: string): void {
    this.status.disabledLinks.push(code);
  }

  // Follow-through

  /** Starts (or, in a continued run, resumes) follow-through's record. */
  followThroughStarted(): void {
    this.status.followThrough ??= { requirementErrors: [], currentlyDue: [], freshLinksSent: 0 };
  }

  followThroughChecked(check: Pick<FollowThroughProgress, 'lastCheckedAt' | 'requirementErrors' | 'currentlyDue'>): void {
    Object.assign(this.followThroughProgress(), check);
  }

  freshLinkSent(): void {
    this.followThroughProgress().freshLinksSent += 1;
  }

  /** The next check comes early, and why (a webhook, added work); the poll's own checks clear it. */
  followThroughWoken(by: string | undefined): void {
    const progress = this.followThroughProgress();
    if (by === undefined) delete progress.lastWokenBy;
    else progress.lastWokenBy = by;
  }

  nextFollowThroughCheck(at: string): void {
    this.followThroughProgress().nextCheckAt = at;
  }

  followThroughEnded(outcome: NonNullable<FollowThroughProgress['outcome']>): void {
    this.followThroughProgress().outcome = outcome;
  }

  private followThroughProgress(): FollowThroughProgress {
    this.followThroughStarted();
    return this.status.followThrough!;
  }

  // The end

  /** A failed run: payment links it was still updating are failed too. */
  failed(err: unknown, phase: 'failed' | 'cancelled'): RemediationStatus {
    this.recordError(err);
    for (const link of this.status.paymentLinks) if (link.state === 'updating') link.state = 'failed';
    return this.finish(phase);
  }
}

/**
 * One upsert: `also`, the phase and, since `phase-changed-at`, when it changed. A search attribute
 * upsert is a command (docs.temporal.io/develop/typescript/versioning#patching), so a history
 * without the marker replays the upsert it recorded: the phase alone. patched() is asked at each
 * upsert, so a run that started before the patch sets the time from its next phase change on.
 * `new Date()` is the workflow's clock: the current workflow task's time, the same on replay
 * (docs.temporal.io/develop/typescript/core-application#workflow-logic-requirements).
 */
function upsertPhase(phase: RemediationPhase, also: SearchAttributeUpdatePair[] = []): void {
  const attributes: SearchAttributeUpdatePair[] = [...also, { key: REMEDIATION_PHASE, value: phase }];
  if (patched(PATCHES.phaseChangedAt)) attributes.push({ key: REMEDIATION_PHASE_CHANGED_AT, value: new Date() });
  upsertSearchAttributes(attributes);
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

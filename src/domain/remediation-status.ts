import type { RequirementCoverage } from './document-catalog';
import type { ConnectionProgress } from './connection-outcome';

/** Declared beside the outcomes it carries. */
export type { ConnectionProgress };

/**
 * What a remediation reports about itself: the `status` query, the workflow result, and the
 * RemediationPhase search attribute all come from these types. Workflow-safe (no Node imports).
 */
export const REMEDIATION_PHASES = [
  'starting',
  'uploading-files',
  'creating-link',
  'waiting-for-active-link',
  'sharing-connection',
  'updating-payment-links',
  /** A call to Moov found it down: parked on durable timers until Moov answers (status.moovOutage); then the phase it interrupted. */
  'waiting-for-moov',
  /** Follow-through: the steps are done; watching Moov until the merchant's requirements clear. */
  'awaiting-merchant',
  /** Terminal: the steps are done and follow-through was turned off. */
  'completed',
  /** Terminal: no requirement errors left (or an operator marked it resolved). */
  'resolved',
  /** Terminal: requirements remain and the fresh-link budget or the follow-through limit is spent. */
  'unresolved',
  'failed',
  'cancelled',
] as const;
export type RemediationPhase = (typeof REMEDIATION_PHASES)[number];

export type FileState = 'pending' | 'uploading' | 'uploaded' | 'already-present' | 'failed';

export interface FollowThroughProgress {
  lastCheckedAt?: string;
  nextCheckAt?: string;
  /** Requirement errors Moov still reports ("capability: requirement (errorCode)"). */
  requirementErrors: string[];
  currentlyDue: string[];
  freshLinksSent: number;
  /** What brought the last check forward, when something did (e.g. "Moov's capability.updated webhook"); the poll otherwise. */
  lastWokenBy?: string;
  /** Set when follow-through ends. */
  outcome?: { result: 'resolved' | 'unresolved'; by: 'moov' | 'operator'; reasons: string[]; note?: string };
}

export interface FileProgress {
  path: string;
  fileName?: string;
  filePurpose: string;
  requirementID?: string;
  state: FileState;
  fileID?: string;
  fileStatus?: string;
  /** Moov's reason when it rejected the file. */
  decisionReason?: string;
  requestId?: string;
}

export interface LinkProgress {
  code: string;
  url: string;
  status: string;
  createdOn: string;
  expiresOn: string;
  /** `created`: our create answered; `adopted`: our create's answer was lost and we found the link. */
  outcome: 'created' | 'adopted';
  requestId?: string;
}

export interface ActiveLinkWait {
  kind: 'active-link-expiry';
  activeLinkCode: string;
  activeLinkExpiresOn: string;
  /** When the wait ends by itself (the active link's expiry plus a margin). */
  until: string;
  nextCheckAt: string;
  since: string;
  /** maxActiveLinkWait: past this the remediation fails instead of waiting longer. */
  giveUpAt: string;
}

export interface PaymentLinkProgress {
  code: string;
  state: 'pending' | 'updating' | 'updated' | 'failed';
  status?: string;
  requestId?: string;
}

export interface LastError {
  type: string;
  message: string;
  status?: number;
  requestId?: string;
  at: string;
}

/** A Moov outage the remediation is waiting out (src/workflows/moov-outage.ts). */
export interface MoovOutage {
  /** The parked call (the earliest parked, when several are). */
  operation: string;
  /** When the call first found Moov down, on the workflow's clock. */
  since: string;
  nextAttemptAt: string;
  /** Attempts made since it parked (each after a durable wait). */
  parks: number;
  /** Calls parked at once (parallel uploads, say). */
  parkedCalls: number;
  lastError: string;
  status?: number;
  requestId?: string;
  /** maxOutageWait: past this the remediation fails (MoovOutageTooLong), and a sweep starts it again. */
  giveUpAt: string;
}

export interface RemediationStatus {
  workflowId: string;
  accountID: string;
  startedAt: string;
  phase: RemediationPhase;
  files: FileProgress[];
  resolutionLink?: LinkProgress;
  /** Codes of other parties' active links that an operator had us disable. */
  disabledLinks: string[];
  waitingFor?: ActiveLinkWait;
  /** Set while a call waits for Moov to come back (phase `waiting-for-moov`); kept in the final status if it never did. */
  moovOutage?: MoovOutage;
  connection?: ConnectionProgress;
  paymentLinks: PaymentLinkProgress[];
  followThrough?: FollowThroughProgress;
  lastError?: LastError;
  /** What an operator must check by hand although the steps succeeded (e.g. unverified connection scopes). */
  warnings?: string[];
  /** With `files: "auto"`: each open requirement, and whether a catalog document or the resolution link covers it. */
  requirementCoverage?: RequirementCoverage[];
  finishedAt?: string;
}

/** One line per phase for operators (Temporal UI current details, CLI, docs/operations.md). */
export const PHASE_DESCRIPTIONS: Record<RemediationPhase, string> = {
  starting: 'Starting',
  'uploading-files': 'Uploading the required files to Moov',
  'creating-link': 'Creating the merchant\'s resolution link',
  'waiting-for-active-link': 'Waiting for another active resolution link to expire or end',
  'sharing-connection': 'Sharing the account connection',
  'updating-payment-links': 'Updating payment links',
  'waiting-for-moov': 'Moov is unavailable: waiting for it to answer again',
  'awaiting-merchant': 'Waiting for the merchant; watching Moov until the requirements clear',
  completed: 'Done: all steps completed (no follow-through)',
  resolved: 'Done: the merchant\'s requirements are resolved',
  unresolved: 'Ended: requirements remain (see the outcome reasons)',
  failed: 'Failed (see lastError)',
  cancelled: 'Cancelled by an operator',
};

export const TERMINAL_PHASES: readonly RemediationPhase[] = ['completed', 'resolved', 'unresolved', 'failed', 'cancelled'];
export type TerminalPhase = 'completed' | 'resolved' | 'unresolved' | 'failed' | 'cancelled';

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
  'completed',
  'failed',
  'cancelled',
] as const;
export type RemediationPhase = (typeof REMEDIATION_PHASES)[number];

export type FileState = 'pending' | 'uploading' | 'uploaded' | 'already-present' | 'failed';

export interface FileProgress {
  path: string;
  fileName?: string;
  filePurpose: string;
  requirementID?: string;
  state: FileState;
  fileID?: string;
  fileStatus?: string;
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

export interface ConnectionProgress {
  principalAccountID: string;
  outcome: 'shared' | 'already-shared';
  requestId?: string;
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
  connection?: ConnectionProgress;
  paymentLinks: PaymentLinkProgress[];
  lastError?: LastError;
  finishedAt?: string;
}

export const TERMINAL_PHASES: readonly RemediationPhase[] = ['completed', 'failed', 'cancelled'];

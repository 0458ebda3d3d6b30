import type { SandboxAccountState } from './sandbox-admin';

/** One account at Moov against what one remediation should leave: every extra copy is a duplicate, every absence a loss. */
export interface AccountAudit {
  duplicateFiles: number;
  duplicateLinks: number;
  duplicateConnections: number;
  missing: number;
  /** Each file once, one link, one connection (and the payment link's amount, when expected). */
  exact: boolean;
}

export function auditAccount(state: SandboxAccountState, expected: { files: readonly string[]; paymentLinkValue?: number }): AccountAudit {
  const extra = (n: number) => Math.max(0, n - 1);
  const fileCopies = expected.files.map((name) => state.files.filter((f) => f.fileName === name).length);
  const counts = [...fileCopies, state.resolutionLinks.length, state.connections.length];
  const paymentLinkWrong = expected.paymentLinkValue !== undefined && state.paymentLinks[0]?.amount?.value !== expected.paymentLinkValue;
  const missing = counts.filter((n) => n === 0).length + (paymentLinkWrong ? 1 : 0);
  return {
    duplicateFiles: fileCopies.reduce((sum, n) => sum + extra(n), 0),
    duplicateLinks: extra(state.resolutionLinks.length),
    duplicateConnections: extra(state.connections.length),
    missing,
    exact: counts.every((n) => n === 1) && !paymentLinkWrong,
  };
}

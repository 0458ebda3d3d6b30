import type { MarkResolvedRequest } from './definitions';

/** An operator's request to replace the active link, settled once the workflow has acted on it. */
export interface ReplaceRequest {
  reason?: string;
  settled: boolean;
  disabledLinkCode?: string;
}

/**
 * What operators have asked of this remediation (the replaceActiveLink update or signal, the
 * markResolved update), owned in one place: the handlers record requests here, the steps read and
 * settle them at their wake-ups.
 */
export class OperatorRequests {
  private replace: ReplaceRequest | undefined;
  private resolved: MarkResolvedRequest | undefined;

  /** Requests that arrive while one is being acted on share its outcome; a settled one is history. */
  requestReplace(reason?: string): ReplaceRequest {
    if (!this.replace || this.replace.settled) this.replace = { ...(reason !== undefined && { reason }), settled: false };
    return this.replace;
  }

  /** The replace request not yet acted on, if any. */
  pendingReplace(): ReplaceRequest | undefined {
    return this.replace && !this.replace.settled ? this.replace : undefined;
  }

  /** The workflow disabled the link the request was about: the update's callers get its code. */
  settleReplace(request: ReplaceRequest, disabledLinkCode: string): void {
    request.disabledLinkCode = disabledLinkCode;
    request.settled = true;
  }

  /** The first markResolved wins; later ones wait for the same outcome. */
  markResolved(request: MarkResolvedRequest): void {
    this.resolved ??= request;
  }

  markResolvedRequest(): MarkResolvedRequest | undefined {
    return this.resolved;
  }
}

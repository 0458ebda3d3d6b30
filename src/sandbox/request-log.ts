export type AuthKind = 'basic' | 'bearer' | 'none';

/**
 * One received Moov API call. Deliberately holds no header values, no bodies and no query string:
 * the log is served over an unauthenticated admin endpoint and must never leak credentials, PII
 * or file bytes.
 */
export interface RequestLogEntry {
  seq: number;
  /** Business-clock time the request arrived. */
  at: string;
  method: string;
  path: string;
  /** Route template, e.g. `POST /accounts/:accountID/resolution-links`; null when nothing matched. */
  route: string | null;
  accountID: string | null;
  /** HTTP status sent; null when the socket was dropped without an answer (fault `reset`). */
  status: number | null;
  requestId: string;
  auth: AuthKind;
  /** Fault rule that shaped the answer, if any, and the kind of fault it applied (`slow-answer`, …). */
  faultId?: string;
  faultKind?: string;
  moovVersion?: string;
  /** The business clock's offset from real time when the request arrived, when not 0 (skew, advanced time). */
  clockOffsetMs?: number;
  /** The client had closed the connection before the sandbox answered (its answer was lost). */
  clientGone?: true;
  /** An apply-late write: when it landed (business clock) and what the handler answered nobody. */
  landedAt?: string;
  landedStatus?: number;
}

export interface RequestLogFilter {
  route?: string;
  accountID?: string;
  method?: string;
}

/** Bounded so a long-running dev sandbox does not grow without limit. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly maxEntries = 10_000) {}

  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    return full;
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.route === undefined || e.route === filter.route) &&
        (filter.accountID === undefined || e.accountID === filter.accountID) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()),
    );
  }

  clear(): void {
    this.entries = [];
  }

  reset(): void {
    this.entries = [];
    this.nextSeq = 1;
  }
}

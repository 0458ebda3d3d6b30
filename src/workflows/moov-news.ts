import type { MoovChangedNotice } from './definitions';

/**
 * Moov delivers each webhook at least once (docs.moov.io/guides/webhooks), so the same eventID
 * can arrive twice, through two receiver replicas. This many recent eventIDs are kept (and carried
 * over continue-as-new): far more than the deliveries of one account in Moov's 24-hour retry window.
 */
export const REMEMBERED_EVENT_IDS = 256;

/**
 * What Moov's webhooks told this remediation, owned in one place: the moovChanged handler records
 * a notice here, the waits (follow-through, the link wait) wake on unread news and re-read Moov.
 * A notice is only a hint, since Moov does not sign the body: the steps never act on its content.
 */
export class MoovNews {
  private readonly seen: string[];
  private unread = 0;
  private lastType: string | undefined;

  constructor(carriedEventIDs?: string[]) {
    this.seen = carriedEventIDs ? [...carriedEventIDs] : [];
  }

  /** Records a notice; a repeat of a recent eventID has no effect. */
  receive(notice: MoovChangedNotice): void {
    if (this.seen.includes(notice.eventID)) return;
    this.seen.push(notice.eventID);
    if (this.seen.length > REMEMBERED_EVENT_IDS) this.seen.splice(0, this.seen.length - REMEMBERED_EVENT_IDS);
    this.unread += 1;
    this.lastType = notice.type;
  }

  hasUnread(): boolean {
    return this.unread > 0;
  }

  /** Marks the news read (one look at Moov answers any number of notices); says what woke us. */
  markRead(): string {
    const what = this.unread === 1 ? `Moov's ${this.lastType} webhook` : `${this.unread} Moov webhooks`;
    this.unread = 0;
    return what;
  }

  hasAny(): boolean {
    return this.seen.length > 0;
  }

  carry(): string[] {
    return [...this.seen];
  }
}

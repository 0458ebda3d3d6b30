import type { WorkItemAnswer } from '../domain/added-work';
import { MAX_FILES_PER_ACCOUNT } from '../domain/moov-requests/files';
import { AUTO_FILES, fileIdentity, listedFiles, type FileToUpload, type Recipient, type RemediationWork, type ShareConnectionInput, type ValidRemediationInput } from '../domain/remediation-input';

/** Work as the inbox queues it: named files only (`files: "auto"` is chosen when a remediation starts). */
export type QueuedWork = Omit<RemediationWork, 'files'> & { files?: FileToUpload[] };

/** What a run hands to the next about added work when it continues as new. */
export interface CarriedWork {
  /** Everything the addWork update accepted so far (its items are "already present" from now on). */
  accepted: QueuedWork;
  /** Accepted but not yet done. */
  pending: QueuedWork;
}

/**
 * The work a running remediation was given after it started (the addWork update), owned in one
 * place: the update handler offers items here and gets an answer per item at once; the steps take
 * the accepted ones at their wake-ups (between steps, during a link wait, during follow-through).
 * The identities are the ones the input check and the upload plan use, so an item is never done
 * twice and never silently dropped.
 */
export class WorkInbox {
  private readonly accepted: QueuedWork;
  private pending: QueuedWork;

  constructor(
    private readonly input: ValidRemediationInput,
    carried?: CarriedWork,
  ) {
    this.accepted = carried?.accepted ?? {};
    this.pending = carried?.pending ?? {};
  }

  /** Answers each item and queues the accepted ones; deterministic, so replay answers the same. */
  offer(work: RemediationWork): WorkItemAnswer[] {
    return [
      ...(work.files === AUTO_FILES ? [this.offerAutoFiles()] : listedFiles(work.files).map((file) => this.offerFile(file))),
      ...(work.resolutionLink ? [this.offerLink(work.resolutionLink.recipient)] : []),
      ...(work.connection ? [this.offerConnection(work.connection)] : []),
      ...(work.paymentLinks ?? []).map((link) => this.offerPaymentLink(link)),
    ];
  }

  hasPending(): boolean {
    const p = this.pending;
    return Boolean(p.files?.length || p.resolutionLink || p.connection || p.paymentLinks?.length);
  }

  /** The accepted work not yet done, handed to the steps (and no longer pending). */
  takePending(): QueuedWork {
    const work = this.pending;
    this.pending = {};
    return work;
  }

  /** Who gets the merchant's resolution link: the input's recipient, or the one added since. */
  linkRecipient(): Recipient | undefined {
    return this.input.resolutionLink?.recipient ?? this.accepted.resolutionLink?.recipient;
  }

  /** Whether anything was ever added (else there is nothing to carry). */
  hasAny(): boolean {
    return Object.keys(this.accepted).length > 0;
  }

  carry(): CarriedWork {
    return { accepted: this.accepted, pending: this.pending };
  }

  /**
   * `files: "auto"` is planned once, when the remediation starts (the update-with-start of a fresh
   * start carries the input's work too): present for a remediation started with it, refused for
   * one that names its files, whose own plan stands.
   */
  private offerAutoFiles(): WorkItemAnswer {
    if (this.input.files === AUTO_FILES) return { kind: 'file', key: AUTO_FILES, outcome: 'already-present' };
    return { kind: 'file', key: AUTO_FILES, outcome: 'refused', reason: 'files "auto" is chosen when a remediation starts; name the files to add them to this one' };
  }

  private offerFile(file: FileToUpload): WorkItemAnswer {
    const key = fileIdentity(file);
    const known = [...listedFiles(this.input.files), ...(this.accepted.files ?? [])];
    if (known.some((k) => fileIdentity(k) === key)) return { kind: 'file', key, outcome: 'already-present' };
    if (known.length >= MAX_FILES_PER_ACCOUNT) {
      return { kind: 'file', key, outcome: 'refused', reason: `this remediation already holds ${MAX_FILES_PER_ACCOUNT} files, Moov's limit per account` };
    }
    (this.accepted.files ??= []).push(file);
    (this.pending.files ??= []).push(file);
    return { kind: 'file', key, outcome: 'accepted' };
  }

  private offerLink(recipient: Recipient): WorkItemAnswer {
    const key = recipient.email !== undefined ? 'email' : 'phone';
    const known = this.linkRecipient();
    if (known && sameRecipient(known, recipient)) return { kind: 'resolutionLink', key, outcome: 'already-present' };
    if (known) {
      return {
        kind: 'resolutionLink',
        key,
        outcome: 'refused',
        reason: 'this remediation already sends the merchant a link to another recipient; Moov allows one active link per account',
      };
    }
    this.accepted.resolutionLink = { recipient };
    this.pending.resolutionLink = { recipient };
    return { kind: 'resolutionLink', key, outcome: 'accepted' };
  }

  private offerConnection(connection: ShareConnectionInput): WorkItemAnswer {
    const key = connection.principalAccountID;
    const known = this.input.connection ?? this.accepted.connection;
    if (!known) {
      this.accepted.connection = connection;
      this.pending.connection = connection;
      return { kind: 'connection', key, outcome: 'accepted' };
    }
    if (known.principalAccountID === key && sameScopes(known.allowScopes, connection.allowScopes)) return { kind: 'connection', key, outcome: 'already-present' };
    return {
      kind: 'connection',
      key,
      outcome: 'refused',
      reason: `this remediation already shares the connection with ${known.principalAccountID}${known.principalAccountID === key ? ' with other scopes' : ''}; start another remediation for it once this one ends`,
    };
  }

  private offerPaymentLink(link: NonNullable<RemediationWork['paymentLinks']>[number]): WorkItemAnswer {
    const key = link.code;
    const known = [...(this.input.paymentLinks ?? []), ...(this.accepted.paymentLinks ?? [])].filter((k) => k.code === key).at(-1);
    // Parsed by one schema, so equal updates serialise alike.
    if (known && JSON.stringify(known.update) === JSON.stringify(link.update)) return { kind: 'paymentLink', key, outcome: 'already-present' };
    // A different update for a known link is the caller's newer intent: it is applied after the earlier one.
    (this.accepted.paymentLinks ??= []).push(link);
    (this.pending.paymentLinks ??= []).push(link);
    return { kind: 'paymentLink', key, outcome: 'accepted' };
  }
}

function sameRecipient(a: Recipient, b: Recipient): boolean {
  if (a.email !== undefined || b.email !== undefined) return a.email?.trim().toLowerCase() === b.email?.trim().toLowerCase();
  return a.phone?.number === b.phone?.number && a.phone?.countryCode === b.phone?.countryCode;
}

function sameScopes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

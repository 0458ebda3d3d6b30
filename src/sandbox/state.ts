import type { BusinessClock } from './clock';
import type {
  Account,
  Capability,
  CapabilityStatus,
  Connection,
  FileDetails,
  PaymentLink,
  PhoneNumber,
  Representative,
  RequirementError,
  ResolutionLink,
} from './models';
import { newUUID } from './ids';

export interface AccountRecord {
  accountID: string;
  accountType: 'individual' | 'business';
  displayName: string;
  email?: string;
  phone?: PhoneNumber;
  foreignID?: string;
  /** The partner (platform) account itself: exists so it can be a connection principal, never listed. */
  partner: boolean;
  createdOn: string;
  updatedOn: string;
  capabilities: Map<string, Capability>;
  files: FileDetails[];
  /** fileID → SHA-256 of the stored bytes; admin view only (Moov's FileDetails has no digest). */
  fileDigests: Map<string, string>;
  /** Stored statuses; read through `resolutionLinkView` so expiry follows the business clock. */
  resolutionLinks: ResolutionLink[];
  connections: Connection[];
  paymentLinks: Map<string, PaymentLink>;
  /** Insertion order; a deleted one stays with `disabledOn` set. */
  representatives: Map<string, Representative>;
}

export type NewAccount = Pick<AccountRecord, 'accountID' | 'accountType' | 'displayName' | 'email' | 'phone' | 'foreignID'> & { partner?: boolean };

export interface CapabilityInput {
  capability: string;
  status?: CapabilityStatus;
  requirements?: { currentlyDue?: string[]; errors?: RequirementError[] };
  disabledReason?: string;
}

/** The profile fields a merchant can change (admin `PATCH /_sandbox/accounts/:accountID`). */
export type ProfilePatch = Partial<Pick<AccountRecord, 'displayName' | 'email' | 'phone' | 'foreignID'>>;

export type RepresentativeInput = Pick<Representative, 'name' | 'email' | 'phone' | 'responsibilities'>;

/**
 * A change Moov announces with a webhook event, named by that event's type
 * (docs.moov.io/guides/webhooks/webhook-events). The state reports every one of them, from the
 * methods below and nowhere else; `src/sandbox/webhooks` turns them into deliveries.
 */
export type StateChange =
  | { type: 'account.created' | 'account.updated'; account: AccountRecord }
  | { type: 'capability.requested' | 'capability.updated'; account: AccountRecord; capability: Capability }
  | { type: 'representative.created' | 'representative.updated' | 'representative.deleted'; account: AccountRecord; representative: Representative };

/** All sandbox data, in memory. One instance per running sandbox; `reset()` empties it. */
export class SandboxState {
  readonly accounts = new Map<string, AccountRecord>();
  private quiet = 0;

  constructor(
    readonly partnerAccountID: string,
    private readonly clock: BusinessClock,
    private readonly onChange: (change: StateChange) => void = () => undefined,
  ) {
    this.reset();
  }

  reset(): void {
    this.accounts.clear();
    this.quietly(() =>
      this.createAccount({
        accountID: this.partnerAccountID,
        accountType: 'business',
        displayName: 'Sandbox Partner',
        partner: true,
      }),
    );
  }

  /** Runs `fn` without reporting its changes: the start-up and after-reset seeding is where Moov's state begins, not a change. */
  quietly<T>(fn: () => T): T {
    this.quiet += 1;
    try {
      return fn();
    } finally {
      this.quiet -= 1;
    }
  }

  /** A new account with its capabilities: account.created, then capability.requested for each. */
  createAccount(input: NewAccount, capabilities: CapabilityInput[] = []): AccountRecord {
    if (this.accounts.has(input.accountID)) throw new Error(`account ${input.accountID} already exists`);
    const now = this.clock.iso();
    const record: AccountRecord = {
      accountID: input.accountID,
      accountType: input.accountType,
      displayName: input.displayName,
      email: input.email,
      phone: input.phone,
      foreignID: input.foreignID,
      partner: input.partner ?? false,
      createdOn: now,
      updatedOn: now,
      capabilities: new Map(),
      files: [],
      fileDigests: new Map(),
      resolutionLinks: [],
      connections: [],
      paymentLinks: new Map(),
      representatives: new Map(),
    };
    this.accounts.set(record.accountID, record);
    const requested = capabilities.map((c) => this.applyCapability(record, c).capability);
    this.report({ type: 'account.created', account: record });
    for (const capability of requested) this.report({ type: 'capability.requested', account: record, capability });
    return record;
  }

  /** The merchant edits its profile: account.updated when a field really changed. */
  updateProfile(account: AccountRecord, patch: ProfilePatch): AccountRecord {
    const before = JSON.stringify(profileOf(account));
    if (patch.displayName !== undefined) account.displayName = patch.displayName;
    if (patch.email !== undefined) account.email = patch.email;
    if (patch.phone !== undefined) account.phone = { ...patch.phone };
    if (patch.foreignID !== undefined) account.foreignID = patch.foreignID;
    if (JSON.stringify(profileOf(account)) !== before) {
      account.updatedOn = this.clock.iso();
      this.report({ type: 'account.updated', account });
    }
    return account;
  }

  get(accountID: string): AccountRecord | undefined {
    return this.accounts.get(accountID);
  }

  /** Connected (merchant) accounts in creation order. */
  merchants(): AccountRecord[] {
    return [...this.accounts.values()].filter((a) => !a.partner);
  }

  /**
   * Creates or updates a capability; absent fields keep their current value. A new one is
   * capability.requested; a change of status, requirements or reason is capability.updated; and
   * when that moves the account's `verification.status` (a field of the account) it is
   * account.updated too.
   */
  upsertCapability(account: AccountRecord, input: CapabilityInput): Capability {
    const verificationBefore = this.accountView(account).verification.status;
    const { capability, previous } = this.applyCapability(account, input);
    if (!previous) this.report({ type: 'capability.requested', account, capability });
    else if (JSON.stringify(reviewOf(previous)) !== JSON.stringify(reviewOf(capability))) {
      this.report({ type: 'capability.updated', account, capability });
    }
    if (this.accountView(account).verification.status !== verificationBefore) this.report({ type: 'account.updated', account });
    return capability;
  }

  addRepresentative(account: AccountRecord, input: RepresentativeInput): Representative {
    const now = this.clock.iso();
    const representative: Representative = { representativeID: newUUID(), ...structuredClone(input), createdOn: now, updatedOn: now };
    account.representatives.set(representative.representativeID, representative);
    this.report({ type: 'representative.created', account, representative });
    return representative;
  }

  /** Fields given replace the old ones (`responsibilities` as a whole); representative.updated when one really changed. */
  updateRepresentative(account: AccountRecord, representative: Representative, patch: Partial<RepresentativeInput>): Representative {
    const before = JSON.stringify(representative);
    Object.assign(representative, structuredClone(patch));
    if (JSON.stringify(representative) !== before) {
      representative.updatedOn = this.clock.iso();
      this.report({ type: 'representative.updated', account, representative });
    }
    return representative;
  }

  deleteRepresentative(account: AccountRecord, representative: Representative): void {
    const now = this.clock.iso();
    representative.disabledOn = now;
    representative.updatedOn = now;
    this.report({ type: 'representative.deleted', account, representative });
  }

  /** A representative Moov still lists (not deleted). */
  representative(account: AccountRecord, representativeID: string): Representative | undefined {
    const found = account.representatives.get(representativeID);
    return found && found.disabledOn === undefined ? found : undefined;
  }

  private report(change: StateChange): void {
    if (this.quiet === 0) this.onChange(change);
  }

  private applyCapability(account: AccountRecord, input: CapabilityInput): { capability: Capability; previous?: Capability } {
    const now = this.clock.iso();
    const existing = account.capabilities.get(input.capability);
    const currentlyDue = input.requirements?.currentlyDue ?? existing?.requirements.currentlyDue ?? [];
    const errors = input.requirements?.errors ?? existing?.requirements.errors ?? [];
    const status: CapabilityStatus =
      input.status ?? existing?.status ?? (currentlyDue.length > 0 || errors.length > 0 ? 'pending' : 'enabled');
    const capability: Capability = {
      capability: input.capability,
      accountID: account.accountID,
      status,
      requirements: { currentlyDue: [...currentlyDue], errors: errors.map((e) => ({ ...e })) },
      createdOn: existing?.createdOn ?? now,
      updatedOn: now,
    };
    if (status === 'disabled') {
      capability.disabledOn = existing?.status === 'disabled' ? existing.disabledOn : now;
      const reason = input.disabledReason ?? existing?.disabledReason;
      if (reason !== undefined) capability.disabledReason = reason;
    }
    account.capabilities.set(capability.capability, capability);
    account.updatedOn = now;
    return { capability, previous: existing };
  }

  resolutionLinkView(link: ResolutionLink): ResolutionLink {
    const expired = link.status === 'active' && Date.parse(link.expiresOn) <= this.clock.nowMs();
    return { ...link, status: expired ? 'expired' : link.status };
  }

  /** What Moov's API answers for a link: the view, without the sandbox's own seeding flags. */
  resolutionLinkWire(link: ResolutionLink): Omit<ResolutionLink, 'status' | 'statusOmitted'> & { status?: ResolutionLink['status'] } {
    const { statusOmitted, status, ...rest } = this.resolutionLinkView(link);
    return statusOmitted ? rest : { ...rest, status };
  }

  activeResolutionLink(account: AccountRecord): ResolutionLink | undefined {
    return account.resolutionLinks.map((l) => this.resolutionLinkView(l)).find((l) => l.status === 'active');
  }

  paymentLinkView(link: PaymentLink): PaymentLink {
    const expired =
      link.status === 'active' && link.expiresOn !== undefined && Date.parse(link.expiresOn) <= this.clock.nowMs();
    return structuredClone({ ...link, status: expired ? 'expired' : link.status });
  }

  accountView(account: AccountRecord): Account {
    const capabilities = [...account.capabilities.values()];
    const contact = {
      ...(account.email !== undefined ? { email: account.email } : {}),
      ...(account.phone !== undefined ? { phone: { ...account.phone } } : {}),
    };
    const profile: Account['profile'] =
      account.accountType === 'individual'
        ? { individual: { name: splitName(account.displayName), ...contact } }
        : { business: { legalBusinessName: account.displayName, ...contact, ownersProvided: false } };
    return {
      accountID: account.accountID,
      mode: 'sandbox',
      accountType: account.accountType,
      displayName: account.displayName,
      profile,
      ...(account.foreignID !== undefined ? { foreignID: account.foreignID } : {}),
      capabilities: capabilities.map((c) => ({ capability: c.capability, status: c.status })),
      verification: { status: verificationStatus(capabilities) },
      createdOn: account.createdOn,
      updatedOn: account.updatedOn,
    };
  }

  capabilityView(capability: Capability): Capability {
    return structuredClone(capability);
  }
}

function profileOf(account: AccountRecord) {
  return { displayName: account.displayName, email: account.email, phone: account.phone, foreignID: account.foreignID };
}

/** What a review decides about a capability; a write that changes none of it is no news. */
function reviewOf(capability: Capability) {
  return { status: capability.status, requirements: capability.requirements, disabledReason: capability.disabledReason };
}

function splitName(displayName: string): { firstName: string; lastName: string } {
  const [first = displayName, ...rest] = displayName.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(' ') || first };
}

// Moov derives this from its own checks; the sandbox approximates it from capability requirements.
function verificationStatus(capabilities: Capability[]): Account['verification']['status'] {
  if (capabilities.length === 0) return 'unverified';
  if (capabilities.some((c) => c.requirements.errors.length > 0)) return 'errored';
  if (capabilities.every((c) => c.status === 'enabled')) return 'verified';
  return 'pending';
}

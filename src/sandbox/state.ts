import type { BusinessClock } from './clock';
import type {
  Account,
  Capability,
  CapabilityStatus,
  Connection,
  FileDetails,
  PaymentLink,
  PhoneNumber,
  RequirementError,
  ResolutionLink,
} from './models';

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
}

export type NewAccount = Pick<AccountRecord, 'accountID' | 'accountType' | 'displayName' | 'email' | 'phone' | 'foreignID'> & { partner?: boolean };

export interface CapabilityInput {
  capability: string;
  status?: CapabilityStatus;
  requirements?: { currentlyDue?: string[]; errors?: RequirementError[] };
  disabledReason?: string;
}

/** All sandbox data, in memory. One instance per running sandbox; `reset()` empties it. */
export class SandboxState {
  readonly accounts = new Map<string, AccountRecord>();

  constructor(
    readonly partnerAccountID: string,
    private readonly clock: BusinessClock,
  ) {
    this.reset();
  }

  reset(): void {
    this.accounts.clear();
    this.createAccount({
      accountID: this.partnerAccountID,
      accountType: 'business',
      displayName: 'Sandbox Partner',
      partner: true,
    });
  }

  createAccount(input: NewAccount): AccountRecord {
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
    };
    this.accounts.set(record.accountID, record);
    return record;
  }

  get(accountID: string): AccountRecord | undefined {
    return this.accounts.get(accountID);
  }

  /** Connected (merchant) accounts in creation order. */
  merchants(): AccountRecord[] {
    return [...this.accounts.values()].filter((a) => !a.partner);
  }

  /** Creates or updates a capability; absent fields keep their current value. */
  upsertCapability(account: AccountRecord, input: CapabilityInput): Capability {
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
    return capability;
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

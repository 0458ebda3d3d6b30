import { request } from 'undici';

/**
 * A thin client for the sandbox's admin API (/_sandbox/*, documented in docs/sandbox.md), for
 * seeding merchants, scripting faults, moving the clock and reading what Moov "saw".
 */
export class SandboxAdmin {
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await request(`${this.baseUrl}${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`sandbox admin ${method} ${path} → ${response.statusCode}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  seedAccount(seed: Record<string, unknown>): Promise<{ accountID: string }> {
    return this.call('POST', '/_sandbox/accounts', seed);
  }

  seedPaymentLink(accountID: string, seed: Record<string, unknown> = {}): Promise<{ code: string }> {
    return this.call('POST', `/_sandbox/accounts/${accountID}/payment-links`, seed);
  }

  seedResolutionLink(accountID: string, seed: Record<string, unknown>): Promise<SandboxLink> {
    return this.call('POST', `/_sandbox/accounts/${accountID}/resolution-links`, seed);
  }

  patchResolutionLink(accountID: string, code: string, patch: Record<string, unknown>): Promise<SandboxLink> {
    return this.call('PATCH', `/_sandbox/accounts/${accountID}/resolution-links/${code}`, patch);
  }

  patchCapability(accountID: string, capability: string, patch: Record<string, unknown>): Promise<unknown> {
    return this.call('PATCH', `/_sandbox/accounts/${accountID}/capabilities/${capability}`, patch);
  }

  patchFile(accountID: string, fileID: string, patch: Record<string, unknown>): Promise<unknown> {
    return this.call('PATCH', `/_sandbox/accounts/${accountID}/files/${fileID}`, patch);
  }

  reset(): Promise<unknown> {
    return this.call('POST', '/_sandbox/reset');
  }

  addFault(rule: Record<string, unknown>): Promise<{ id: string }> {
    return this.call('POST', '/_sandbox/faults', rule);
  }

  /** How many faults of each kind the rules have applied so far, summed over all rules. */
  async faultsByKind(): Promise<Record<string, number>> {
    const rules = await this.call<{ appliedByKind: Record<string, number> }[]>('GET', '/_sandbox/faults');
    const byKind: Record<string, number> = {};
    for (const rule of rules) for (const [kind, n] of Object.entries(rule.appliedByKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    return byKind;
  }

  advanceClock(advanceMs: number): Promise<{ now: string }> {
    return this.call('POST', '/_sandbox/clock', { advanceMs });
  }

  /** Clock skew: Moov's clock `offsetMs` ahead of real time (behind when negative); 0 removes it. */
  skewClock(offsetMs: number): Promise<{ now: string; offsetMs: number }> {
    return this.call('POST', '/_sandbox/clock', { offsetMs });
  }

  /** Slow answers and late writes not acted on yet; with `wait`, answers once there are none. */
  held(options: { wait?: boolean } = {}): Promise<{ held: number; finished: number; cancelled: number }> {
    return this.call('GET', `/_sandbox/held${options.wait ? '?wait=true' : ''}`);
  }

  clock(): Promise<{ now: string }> {
    return this.call('GET', '/_sandbox/clock');
  }

  async requests(filter: { accountID?: string; route?: string; method?: string } = {}): Promise<SandboxRequest[]> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call('GET', `/_sandbox/requests?${query.toString()}`);
  }

  state(accountID: string): Promise<SandboxAccountState> {
    return this.call('GET', `/_sandbox/accounts/${accountID}/state`);
  }
}

export interface SandboxLink {
  code: string;
  status: string;
  recipient: string;
  partnerAccountID: string;
  createdOn: string;
  expiresOn: string;
}

export interface SandboxRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  route: string;
  accountID?: string;
  /** null when the socket was dropped without an answer. */
  status: number | null;
  requestId: string;
  /** The fault rule that shaped the answer, if any, and its kind. */
  faultId?: string;
  faultKind?: string;
  clockOffsetMs?: number;
  clientGone?: true;
  landedAt?: string;
  landedStatus?: number;
}

export interface SandboxAccountState {
  files: { fileID: string; fileName: string; filePurpose: string; fileStatus: string; metadata?: string; contentSHA256?: string }[];
  resolutionLinks: SandboxLink[];
  connections: { principalAccountID: string; allowScopes: string[] }[];
  paymentLinks: { code: string; status: string; amount?: { currency: string; value: number }; display?: { title?: string } }[];
}

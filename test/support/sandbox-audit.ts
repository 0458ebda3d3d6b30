import { isDeepStrictEqual } from 'node:util';
import type { SandboxAccountState } from './sandbox-admin';

/** A file the remediation uploads: by name, or by name and content (the SHA-256 the sandbox keeps of the bytes). */
export type ExpectedFile = string | { fileName: string; contentSHA256: string };

/** What one remediation should leave at Moov for one account. */
export interface ExpectedEffects {
  files: readonly ExpectedFile[];
  /** Our links carry our partner account ID (Moov's `partnerAccountID`) and go to this recipient. */
  resolutionLink?: { partnerAccountID: string; recipient: string };
  connection?: { principalAccountID: string; allowScopes?: readonly string[] };
  /** Each link's final state must contain the update as asked, field by field. */
  paymentLinks?: readonly { code: string; update: Record<string, unknown> }[];
}

/** One account at Moov against what one remediation should leave: every extra copy is a duplicate, every absence a loss. */
export interface AccountAudit {
  duplicateFiles: number;
  duplicateLinks: number;
  duplicateConnections: number;
  missing: number;
  /** Each file once, one link, one connection, every payment link as asked. */
  exact: boolean;
  /** What is wrong, one line each (empty when exact). */
  findings: string[];
}

export function auditAccount(state: SandboxAccountState, expected: ExpectedEffects): AccountAudit {
  const findings: string[] = [];
  const extra = (n: number) => Math.max(0, n - 1);
  const count = (what: string, n: number) => {
    if (n !== 1) findings.push(`${what}: ${n} at Moov, expected 1`);
    return n;
  };

  const fileCopies = expected.files.map((file) => {
    const name = typeof file === 'string' ? file : file.fileName;
    const copies = state.files.filter((f) => f.fileName === name && (typeof file === 'string' || f.contentSHA256 === file.contentSHA256));
    return count(`file ${name}`, copies.length);
  });
  const unexpectedFiles = state.files.filter((f) => !expected.files.some((file) => matchesFile(f, file)));
  for (const f of unexpectedFiles) findings.push(`file ${f.fileName} (${f.fileID}) was not asked for, or has other content`);

  const link = expected.resolutionLink;
  const ourLinks = link ? state.resolutionLinks.filter((l) => l.partnerAccountID === link.partnerAccountID && l.recipient === link.recipient) : state.resolutionLinks;
  const otherLinks = state.resolutionLinks.length - ourLinks.length;
  count('resolution link created by us', ourLinks.length);
  if (otherLinks > 0) findings.push(`resolution links to the merchant not created by us for this recipient: ${otherLinks}`);

  const connection = expected.connection;
  const connections = connection ? state.connections.filter((c) => c.principalAccountID === connection.principalAccountID) : state.connections;
  count('connection', connections.length);
  const scopesWrong =
    connection?.allowScopes !== undefined &&
    connections.length > 0 &&
    !connections.every((c) => isDeepStrictEqual([...c.allowScopes].sort(), [...connection.allowScopes!].sort()));
  if (scopesWrong) findings.push(`connection scopes ${JSON.stringify(connections.map((c) => c.allowScopes))}, asked ${JSON.stringify(connection!.allowScopes)}`);

  let paymentLinksWrong = 0;
  for (const { code, update } of expected.paymentLinks ?? []) {
    const found = state.paymentLinks.find((l) => l.code === code);
    if (!found || !contains(found, update)) {
      paymentLinksWrong += 1;
      findings.push(`payment link ${code}: ${found ? `is ${JSON.stringify(pick(found, update))}` : 'not found'}, asked ${JSON.stringify(update)}`);
    }
  }

  const missing = [...fileCopies, ourLinks.length, connections.length].filter((n) => n === 0).length + paymentLinksWrong + (scopesWrong ? 1 : 0);
  return {
    duplicateFiles: fileCopies.reduce((sum, n) => sum + extra(n), 0) + unexpectedFiles.length,
    duplicateLinks: extra(ourLinks.length) + otherLinks,
    duplicateConnections: extra(connections.length),
    missing,
    exact: findings.length === 0,
    findings,
  };
}

function matchesFile(stored: SandboxAccountState['files'][number], file: ExpectedFile): boolean {
  if (typeof file === 'string') return stored.fileName === file;
  return stored.fileName === file.fileName && stored.contentSHA256 === file.contentSHA256;
}

/** `actual` has every field of `wanted` with the same value (objects compared field by field, arrays whole). */
function contains(actual: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object' || Array.isArray(wanted)) return isDeepStrictEqual(actual, wanted);
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(wanted).every(([key, value]) => contains((actual as Record<string, unknown>)[key], value));
}

/** The fields of `actual` that `shape` names, for a finding that shows what is there instead. */
function pick(actual: unknown, shape: Record<string, unknown>): Record<string, unknown> {
  const source = (actual ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(shape).map((key) => [key, source[key]]));
}

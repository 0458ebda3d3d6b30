import type { RemediationListEntry } from '../client';
import type { WorkItemAnswer } from '../domain/added-work';
import { describeRequestedScopes } from '../domain/connection-outcome';
import { PHASE_DESCRIPTIONS, type ConnectionProgress, type RemediationStatus } from '../domain/remediation-status';

/**
 * Human-readable views of a remediation's status for operators. The status carries no recipient
 * email or phone and no credentials, so nothing here can print them.
 */

/** One line: the phase and what it is doing or waiting for. */
export function describePhase(status: RemediationStatus): string {
  switch (status.phase) {
    case 'uploading-files':
      return `uploading-files: ${status.files.length} file(s)`;
    case 'creating-link':
      return 'creating-link: asking Moov for a resolution link';
    case 'waiting-for-active-link': {
      const wait = status.waitingFor;
      if (!wait) return 'waiting-for-active-link';
      return (
        `waiting-for-active-link: another active resolution link (${wait.activeLinkCode}) blocks ours; ` +
        `waiting until ${wait.until} (its expiry), next check ${wait.nextCheckAt}, gives up ${wait.giveUpAt}. ` +
        `Replace it with: npm run cli -- replace-link ${status.accountID}`
      );
    }
    case 'sharing-connection':
      return 'sharing-connection: sharing the account with the principal account';
    case 'updating-payment-links':
      return `updating-payment-links: ${status.paymentLinks.length} payment link(s)`;
    case 'awaiting-merchant': {
      const follow = status.followThrough;
      const open = follow?.requirementErrors.length ? `open requirement errors: ${follow.requirementErrors.join('; ')}` : 'checking Moov';
      return `awaiting-merchant: steps done, watching Moov until the requirements clear (${open}${follow?.nextCheckAt ? `; next check ${follow.nextCheckAt}` : ''})`;
    }
    case 'waiting-for-moov': {
      const outage = status.moovOutage;
      if (!outage) return 'waiting-for-moov';
      return `waiting-for-moov: Moov unavailable since ${outage.since} (${outage.operation}: ${outage.lastError}); next attempt ${outage.nextAttemptAt}, gives up ${outage.giveUpAt}`;
    }
    case 'unresolved':
      return `unresolved: ${status.followThrough?.outcome?.reasons.join('; ') ?? PHASE_DESCRIPTIONS.unresolved}`;
    case 'failed':
      return `failed${status.lastError ? `: ${status.lastError.message}` : ''}`;
    default:
      return `${status.phase}: ${PHASE_DESCRIPTIONS[status.phase] ?? ''}`;
  }
}

/** The connection step's outcome in one line; statuses from older code lack requestedScopes. */
function describeConnection(connection: ConnectionProgress): string {
  const scopes = describeRequestedScopes(connection.requestedScopes);
  switch (connection.outcome) {
    case 'shared':
      return `shared with ${connection.principalAccountID}${scopes ? ` (${scopes})` : ''}`;
    case 'already-connected-scopes-unverified':
    case 'already-shared':
      return `already connected to ${connection.principalAccountID} before this run; scopes NOT verified${scopes ? ` (asked for ${scopes})` : ''}`;
    default:
      return `${String(connection.outcome)} with ${connection.principalAccountID}`;
  }
}

export function progressLine(status: RemediationStatus, now = new Date()): string {
  return `[${now.toISOString().slice(11, 19)}] ${describePhase(status)}`;
}

export function formatStatus(status: RemediationStatus): string {
  const lines: string[] = [];
  const field = (label: string, value: string) => lines.push(`  ${(label ? `${label}:` : '').padEnd(17)}${value}`);
  lines.push(`Remediation ${status.workflowId}`);
  field('account', status.accountID);
  field('phase', `${status.phase} (${PHASE_DESCRIPTIONS[status.phase] ?? 'unknown phase'})`);
  field('started', status.startedAt);
  if (status.finishedAt) field('finished', status.finishedAt);
  // Right under the phase: a completed remediation can still need an operator's check.
  status.warnings?.forEach((warning, index) => field(index === 0 ? 'warnings' : '', warning));

  if (status.files.length > 0) {
    field('files', String(status.files.length));
    for (const file of status.files) {
      const parts = [
        file.fileName ?? file.path,
        file.filePurpose,
        ...(file.requirementID ? [`requirement ${file.requirementID}`] : []),
        file.state,
        ...(file.fileID ? [`fileID ${file.fileID}`] : []),
        ...(file.fileStatus ? [`review ${file.fileStatus}`] : []),
        ...(file.decisionReason ? [`reason: ${file.decisionReason}`] : []),
      ];
      lines.push(`    - ${parts.join(', ')}`);
    }
  }

  // files "auto": how each open requirement is covered, by a catalog document or the link.
  if (status.requirementCoverage?.length) {
    const byDocument = status.requirementCoverage.filter((entry) => entry.coveredBy === 'document').length;
    field('requirements', `${byDocument} covered by a document, ${status.requirementCoverage.length - byDocument} left to the link`);
    for (const entry of status.requirementCoverage) {
      const how = entry.coveredBy === 'document' ? `document ${entry.path}` : `link${entry.note ? ` (${entry.note})` : ''}`;
      lines.push(`    - ${entry.kind}: ${entry.capability}: ${entry.requirement}${entry.errorCode ? ` (${entry.errorCode})` : ''} → ${how}`);
    }
  }

  const link = status.resolutionLink;
  if (link) {
    field('resolution link', `${link.code} (${link.outcome}, ${link.status}), expires ${link.expiresOn}`);
    field('', link.url);
  }
  const wait = status.waitingFor;
  if (wait) {
    field('waiting for', `active link ${wait.activeLinkCode} to end (expires ${wait.activeLinkExpiresOn})`);
    field('', `waiting since ${wait.since}; next check ${wait.nextCheckAt}; until ${wait.until}; gives up ${wait.giveUpAt}`);
  }
  const outage = status.moovOutage;
  if (outage) {
    field('moov outage', `unavailable since ${outage.since} for ${outage.operation} (${outage.parkedCalls} call(s) parked, ${outage.parks} attempt(s) since)`);
    field('', `next attempt ${outage.nextAttemptAt}; gives up ${outage.giveUpAt}; last: ${outage.lastError}`);
  }
  if (status.disabledLinks.length > 0) field('disabled links', status.disabledLinks.join(', '));

  const connection = status.connection;
  if (connection) field('connection', describeConnection(connection));

  if (status.paymentLinks.length > 0) {
    field('payment links', String(status.paymentLinks.length));
    for (const paymentLink of status.paymentLinks) {
      lines.push(`    - ${paymentLink.code}: ${paymentLink.state}${paymentLink.status ? ` (link ${paymentLink.status})` : ''}`);
    }
  }

  const follow = status.followThrough;
  if (follow) {
    if (follow.outcome) {
      const note = follow.outcome.note ? ` (note: ${follow.outcome.note})` : '';
      field('outcome', `${follow.outcome.result} by ${follow.outcome.by}${note}: ${follow.outcome.reasons.join('; ')}`);
    }
    const woken = follow.lastWokenBy ? ` (brought forward by ${follow.lastWokenBy})` : '';
    field('follow-through', `last checked ${follow.lastCheckedAt ?? 'not yet'}${woken}${follow.nextCheckAt && !follow.outcome ? `; next check ${follow.nextCheckAt}` : ''}; fresh links sent ${follow.freshLinksSent}`);
    if (follow.requirementErrors.length > 0) field('open errors', follow.requirementErrors.join('; '));
    if (follow.currentlyDue.length > 0) field('currently due', follow.currentlyDue.join('; '));
  }

  const error = status.lastError;
  if (error) {
    const trace = [
      ...(error.status !== undefined ? [`HTTP ${error.status}`] : []),
      ...(error.requestId ? [`request id ${error.requestId}`] : []),
    ];
    field('last error', `${error.type}: ${error.message}${trace.length ? ` [${trace.join(', ')}]` : ''} at ${error.at}`);
  }
  return lines.join('\n');
}

/** The answer per item of `start`: one line each, refused ones with why. */
export function formatWorkAnswers(items: readonly WorkItemAnswer[]): string {
  if (items.length === 0) return '';
  const width = Math.max(...items.map((item) => `${item.kind} ${item.key}`.length));
  const lines = items.map((item) => `  ${`${item.kind} ${item.key}`.padEnd(width)}  ${item.outcome}${item.reason !== undefined ? `: ${item.reason}` : ''}`);
  return `items:\n${lines.join('\n')}\n`;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [headers, ...rows].map(line).join('\n');
}

/** An ISO timestamp to the second: the table's width, not its precision, matters to an operator. */
const toSecond = (iso: string | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : '-');

/**
 * `last change`: when the phase was set; a run recorded before RemediationPhaseChangedAt existed
 * has none, and its close time (when it set its last phase) stands in, else nothing.
 */
const lastChange = (e: RemediationListEntry) => toSecond(e.phaseChangedAt ?? e.closedAt);

/** The `list` command's table: one remediation per row, then how many. */
export function formatRemediationList(entries: readonly RemediationListEntry[]): string {
  if (entries.length === 0) return 'No remediations match.';
  const rows = entries.map((e) => [e.accountID, e.phase ?? '-', e.status, toSecond(e.startedAt), toSecond(e.closedAt), lastChange(e)]);
  return `${formatTable(['account', 'phase', 'status', 'started', 'closed', 'last change'], rows)}\n${entries.length} remediation(s)`;
}

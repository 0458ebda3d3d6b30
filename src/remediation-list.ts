import type { Client, WorkflowExecutionInfo, WorkflowExecutionStatusName } from '@temporalio/client';
import type { RemediationPhase } from './domain/remediation-status';
import { MOOV_ACCOUNT_ID, REMEDIATION_PHASE, REMEDIATION_PHASE_CHANGED_AT } from './domain/search-attributes';
import { remediationWorkflowId } from './domain/workflow-ids';

/**
 * Remediations as Temporal's visibility store lists them (the `list` CLI command is built on
 * it): running and closed, filtered by the search attributes the workflow keeps current. Nothing
 * here asks a worker, so it works with no worker running and costs one visibility call per page.
 */

/** The workflow type of every remediation: the client's starts and the sweep's children. */
const REMEDIATION_WORKFLOW_TYPE = 'merchantRemediation';

export interface RemediationListFilter {
  /** Only remediations whose RemediationPhase is this one. */
  phase?: RemediationPhase;
  /** Only this Moov account's remediations (its MoovAccountID). */
  account?: string;
  /** Executions per visibility page (the server's default, typically 1,000, when omitted); every page is read. */
  pageSize?: number;
}

export interface RemediationListEntry {
  workflowId: string;
  runId: string;
  accountID: string;
  /**
   * RemediationPhase as the workflow last recorded it (a closed remediation's is its terminal
   * phase). A run Temporal ended without the workflow (terminated, timed out) keeps the last one.
   */
  phase?: string;
  /**
   * When `phase` was set: the RemediationPhaseChangedAt search attribute, which the workflow sets
   * with the phase. Absent for runs that recorded their last phase before it existed (patch
   * `phase-changed-at`, docs/deploying.md) and for a run whose first workflow task has not run yet.
   * A run that continued as new carries its predecessor's (continuing is no phase change).
   */
  phaseChangedAt?: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  status: WorkflowExecutionStatusName;
  /**
   * When this run started. Visibility lists runs and does not name a continued run's first one, so
   * for a remediation that continued as new (follow-through past 2,500 events) this is when it
   * continued; its `status` query's startedAt is the first start.
   */
  startedAt: string;
  /** When the run closed; a running remediation has none. */
  closedAt?: string;
}

/**
 * A List Filter string literal: backslashes and double quotes escaped, so a value can never end
 * the literal and add a clause (docs.temporal.io/list-filter).
 */
export function listFilterLiteral(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The List Filter for `filter`. A continued-as-new run is one remediation's earlier history, not
 * a remediation of its own, so only the chain's latest run is listed. No ORDER BY (Temporal Cloud
 * refuses it): the default order is running first, then by close time, newest first
 * (docs.temporal.io/list-filter).
 */
export function remediationListQuery(filter: Omit<RemediationListFilter, 'pageSize'> = {}): string {
  const clauses = [`WorkflowType = ${listFilterLiteral(REMEDIATION_WORKFLOW_TYPE)}`, 'ExecutionStatus != "ContinuedAsNew"'];
  if (filter.account !== undefined) clauses.push(`${MOOV_ACCOUNT_ID.name} = ${listFilterLiteral(filter.account)}`);
  if (filter.phase !== undefined) clauses.push(`${REMEDIATION_PHASE.name} = ${listFilterLiteral(filter.phase)}`);
  return clauses.join(' AND ');
}

/**
 * Every remediation that matches, page after page: `client.workflow.list` asks for the next page
 * until the server answers with no page token. Visibility is updated asynchronously, so a change
 * of the last seconds may not be listed yet (docs.temporal.io/evaluate/features/observability).
 */
export async function* listRemediations(client: Client, filter: RemediationListFilter = {}): AsyncIterable<RemediationListEntry> {
  const executions = client.workflow.list({ query: remediationListQuery(filter), ...(filter.pageSize !== undefined && { pageSize: filter.pageSize }) });
  for await (const execution of executions) yield toEntry(execution);
}

/** A run started without search attributes (from the Web UI) has them from its first workflow task; until then its id names the account. */
function accountOf(execution: WorkflowExecutionInfo): string {
  const prefix = remediationWorkflowId('');
  const { workflowId } = execution;
  return execution.typedSearchAttributes.get(MOOV_ACCOUNT_ID) ?? (workflowId.startsWith(prefix) ? workflowId.slice(prefix.length) : workflowId);
}

function toEntry(execution: WorkflowExecutionInfo): RemediationListEntry {
  const accountID = accountOf(execution);
  const phase = execution.typedSearchAttributes.get(REMEDIATION_PHASE);
  const phaseChangedAt = execution.typedSearchAttributes.get(REMEDIATION_PHASE_CHANGED_AT);
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    accountID,
    ...(phase !== undefined && { phase }),
    ...(phaseChangedAt !== undefined && { phaseChangedAt: phaseChangedAt.toISOString() }),
    status: execution.status.name,
    startedAt: execution.startTime.toISOString(),
    ...(execution.closeTime && { closedAt: execution.closeTime.toISOString() }),
  };
}

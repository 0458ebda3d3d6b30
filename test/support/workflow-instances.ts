import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';

/**
 * Workflow instances made the way the worker makes them, without a server: the SDK's reusable V8
 * context over a bundle, and a `merchantRemediation` created in it (initRuntime evaluates the
 * workflow modules it does not share). For the bench's memory figures and the preload test.
 */
export type WorkflowCreator = ReusableVMWorkflowCreator;
export type WorkflowInstance = Awaited<ReturnType<ReusableVMWorkflowCreator['createWorkflow']>>;

export function workflowCreator(bundle: WorkflowBundleWithSourceMap, maxCachedWorkflows: number): Promise<WorkflowCreator> {
  const at = bundle.code.lastIndexOf('//# sourceMappingURL=data:');
  const sourceMap = JSON.parse(Buffer.from(bundle.code.slice(at).split('base64,')[1]!, 'base64').toString()) as object;
  return ReusableVMWorkflowCreator.create({ code: bundle.code, sourceMap, filename: '/tmp/workflow-bundle.js' } as never, maxCachedWorkflows, new Set<string>(), undefined as never);
}

export function createWorkflowInstance(creator: WorkflowCreator, n = 0): Promise<WorkflowInstance> {
  const info = {
    workflowType: 'merchantRemediation', workflowId: `wf-${n}`, runId: `run-${n}`, namespace: 'default', taskQueue: 'q', firstExecutionRunId: `run-${n}`,
    attempt: 1, historyLength: 1, historySize: 0, continueAsNewSuggested: false, searchAttributes: {}, typedSearchAttributes: [], memo: {},
    startTime: new Date(), runStartTime: new Date(), unsafe: { isReplaying: false, now: Date.now }, priority: {},
  };
  return creator.createWorkflow({ info: info as never, randomnessSeed: [1, 2], now: Date.now(), showStackTraceSources: false });
}

/** The modules a workflow instance evaluated itself (its own module cache), by webpack module ID. */
export function ownModulesOf(workflow: WorkflowInstance): string[] {
  return [...(workflow as unknown as { activator: { moduleCache: Map<string, unknown> } }).activator.moduleCache.keys()];
}

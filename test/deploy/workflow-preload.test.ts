import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import vm from 'node:vm';
import { bundleOptionsFor } from '../../src/workflow-code';
import { SHARED_DOMAIN_MODULES } from '../../src/workflows/shared-modules';
import { createWorkflowInstance, ownModulesOf, workflowCreator } from '../support/workflow-instances';

/**
 * The modules a worker's workflows share (src/workflows/shared-modules.ts): every domain module
 * the workflow bundle holds is one of them, a workflow evaluates none of them (nor zod) itself,
 * and the SDK's freeze of shared modules leaves their zod schemas able to parse.
 */
let shared: WorkflowBundleWithSourceMap;
let unshared: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  const options = bundleOptionsFor({});
  [shared, unshared] = await Promise.all([bundleWorkflowCode(options), bundleWorkflowCode({ ...options, preloadModules: [] })]);
}, 120_000);

function domainModulesIn(code: string): string[] {
  return [...new Set([...code.matchAll(/"\.\/src\/domain\/([\w/-]+)\.ts"/g)].map((m) => m[1]!))].sort();
}

/** A workflow created the way the worker creates one, and the modules it evaluated itself. */
async function ownModulesOfAWorkflow(bundle: WorkflowBundleWithSourceMap) {
  const creator = await workflowCreator(bundle, 1000);
  const workflow = await createWorkflowInstance(creator);
  return { own: ownModulesOf(workflow), creator, workflow };
}

test('every domain module the workflow bundle holds is one the worker shares', () => {
  expect(domainModulesIn(shared.code)).toEqual(Object.keys(SHARED_DOMAIN_MODULES).sort());
});

test('a workflow evaluates its own workflow modules but no domain module and no zod: those are shared', async () => {
  const { own, creator, workflow } = await ownModulesOfAWorkflow(shared);
  try {
    expect(own.some((id) => id.startsWith('./src/workflows/'))).toBe(true);
    expect(own.filter((id) => id.startsWith('./src/domain/') || id.includes('/node_modules/zod/'))).toEqual([]);

    // Shared, the SDK froze their records; the schemas behind the exports still bind methods and run checks (a regex's lastIndex).
    const parse = (expression: string) => vm.runInContext(expression, (creator as unknown as { context: vm.Context }).context) as unknown;
    const domain = (name: string) => `__webpack_module_cache__[${JSON.stringify(`./src/domain/${name}.ts`)}].exports`;
    expect(parse(`${domain('remediation-input')}.remediationInputSchema.safeParse({}).success`)).toBe(false);
    expect(parse(`${domain('validation')}.pathParam.safeParse('a/b').success`)).toBe(false);
    expect(parse(`${domain('validation')}.pathParam.safeParse('acct-1').success`)).toBe(true);
    // Every other constant stays frozen through and through, as the SDK would leave it: what one workflow changed, the next would see.
    expect(parse(`Object.isFrozen(${domain('failure-types')}.FAILURE_RETRY) && Object.values(${domain('failure-types')}.FAILURE_RETRY).every(Object.isFrozen)`)).toBe(true);
    expect(parse(`Object.isFrozen(${domain('validation')}.pathParam)`)).toBe(false);
  } finally {
    await workflow.dispose();
    await creator.destroy();
  }
});

test('without the preload, each workflow evaluates the domain modules and zod itself', async () => {
  const { own, creator, workflow } = await ownModulesOfAWorkflow(unshared);
  try {
    expect(own.filter((id) => id.startsWith('./src/domain/')).length).toBeGreaterThan(10);
    expect(own.some((id) => id.includes('/node_modules/zod/'))).toBe(true);
  } finally {
    await workflow.dispose();
    await creator.destroy();
  }
});

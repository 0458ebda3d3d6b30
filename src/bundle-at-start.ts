import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleOptionsFor, type BundleAtStartReply, type BundleAtStartRequest } from './workflow-code';

/**
 * The child a worker without a prebuilt bundle forks to bundle its workflows
 * (`bundleInChildProcess`, src/workflow-code.ts): one request in, the bundle's code or the
 * error out, then it exits and webpack's memory with it.
 */
process.once('message', (request: BundleAtStartRequest) => {
  const reply = (message: BundleAtStartReply) => process.send!(message, () => process.exit(0));
  bundleWorkflowCode(bundleOptionsFor(request.spec, request.workflowsPath)).then(
    ({ code }) => reply({ code }),
    (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
  );
});

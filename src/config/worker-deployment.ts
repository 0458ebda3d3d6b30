import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';

/**
 * Worker Deployment Versioning (docs.temporal.io/production-deployment/worker-deployments/
 * worker-versioning): a worker given a build id becomes version `deploymentName`/`buildId`, and
 * the server routes each workflow task to the version its run belongs to. Which workflow type
 * moves to a new version and which stays on its own is src/workflows/versioning-behaviors.ts.
 */
export const DEFAULT_DEPLOYMENT_NAME = 'merchant-remediation';

// The server refuses '.' and ':' in a deployment name (they delimit version strings) and keeps
// names starting with `__` (e.g. `__unversioned__`) for itself. 255: the SQL schemas' id columns.
export const deploymentNameSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^[^.:]+$/, "must not contain '.' or ':'")
  .refine((name) => !name.startsWith('__'), 'must not start with __ (reserved by Temporal)');

export const buildIdSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .refine((id) => !id.startsWith('__'), 'must not start with __ (reserved by Temporal)');

/**
 * The SDK option for a build id, or undefined (unversioned) without one: an existing deployment
 * keeps working as before until its image names a build. A workflow type the behaviour table does
 * not name gets AUTO_UPGRADE, which is what an unversioned run does anyway (it needs patches).
 */
export function workerDeploymentOptionsFor(settings: { deploymentName?: string; buildId?: string }): WorkerDeploymentOptions | undefined {
  if (!settings.buildId) return undefined;
  return {
    useWorkerVersioning: true,
    version: { deploymentName: settings.deploymentName ?? DEFAULT_DEPLOYMENT_NAME, buildId: settings.buildId },
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  };
}

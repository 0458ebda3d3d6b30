import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/**
 * What each workflow type does when a new worker build becomes current, for workers started with
 * a build id (TEMPORAL_WORKER_BUILD_ID; docs/deploying.md). See docs.temporal.io/worker-versioning
 * ("Versioning behaviors").
 */
export const VERSIONING_BEHAVIORS = {
  // Lives for months (a 35-day link wait, 90 days of follow-through): it moves to the current build
  // at its next workflow task, so old builds can be retired; incompatible changes still need patched().
  merchantRemediation: 'AUTO_UPGRADE',
  // Minutes per run, started by a Schedule: it finishes on the build it started on, so a sweep
  // change needs no patch, and the old build drains within one sweep.
  remediationSweep: 'PINNED',
  // Seconds per run, started by a Moov webhook: like a sweep, it finishes on the build it started on.
  accountEventTriage: 'PINNED',
} as const satisfies Record<string, VersioningBehavior>;

/**
 * For `setWorkflowOptions`: the type's behaviour when the run is executed by versioned workers,
 * none otherwise. An unversioned worker must not report one (it fails the workflow task: "versioning
 * behavior cannot be specified without deployment options being set with versioned mode"). The
 * deployment version of the run's first task tells them apart (`workflowInfo().currentDeploymentVersion`,
 * deterministic): an unversioned worker has no deployment name (its build id is the SDK's own).
 */
export function versioningOptions(workflowType: keyof typeof VERSIONING_BEHAVIORS): () => WorkflowDefinitionOptions {
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: VERSIONING_BEHAVIORS[workflowType] } : {});
}

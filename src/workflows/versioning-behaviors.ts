import type { VersioningBehavior } from '@temporalio/common';

/**
 * What each workflow type does when a new worker build becomes current, for workers started with
 * a build id (TEMPORAL_WORKER_BUILD_ID; docs/deploying.md). Applied with `setWorkflowOptions` next
 * to each workflow; an unversioned worker ignores it. See docs.temporal.io/worker-versioning
 * ("Versioning behaviors").
 */
export const VERSIONING_BEHAVIORS = {
  // Lives for months (a 35-day link wait, 90 days of follow-through): it moves to the current build
  // at its next workflow task, so old builds can be retired; incompatible changes still need patched().
  merchantRemediation: 'AUTO_UPGRADE',
  // Minutes per run, started by a Schedule: it finishes on the build it started on, so a sweep
  // change needs no patch, and the old build drains within one sweep.
  remediationSweep: 'PINNED',
} as const satisfies Record<string, VersioningBehavior>;

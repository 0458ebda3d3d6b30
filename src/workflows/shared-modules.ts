/**
 * The modules every workflow in a worker shares instead of evaluating them itself. The worker's
 * reusable V8 context loads this module once, before its first workflow (the SDK's
 * `preloadModules`, src/workflow-code.ts), and what it imports (zod and the domain modules the
 * workflows use) lands in the context's shared module cache. Evaluated per workflow, their zod
 * schemas cost about 16 CPU-ms and 950 KiB of heap for every workflow the worker starts, caches
 * or replays; shared, about 1 ms and 60 KiB (docs/benchmarks.md, finding 12).
 *
 * Only pure modules belong here: constants, functions and schemas, no state of their own.
 *
 * The SDK deep-freezes what shared modules export, and stops at an object that is already frozen.
 * zod schemas complete themselves on first use (a method is bound to its schema on first read,
 * a container rewrites its parser on its first parse), which a frozen schema refuses. So each
 * module's exports object is frozen here, shallowly: nothing can be added to or replaced in the
 * exports, and the schemas behind them stay as zod needs them. Every other constant they export
 * is deep-frozen here instead, as the SDK would have.
 * test/deploy/workflow-preload.test.ts fails when the bundle holds a domain module this list lacks.
 */
import * as z from 'zod';
import * as accountEventTriage from '../domain/account-event-triage';
import * as activityContracts from '../domain/activity-contracts';
import * as activityTimeouts from '../domain/activity-timeouts';
import * as connectionOutcome from '../domain/connection-outcome';
import * as failureTypes from '../domain/failure-types';
import * as metricNames from '../domain/metric-names';
import * as moovOutage from '../domain/moov-outage';
import * as connectionRequests from '../domain/moov-requests/connections';
import * as fileRequests from '../domain/moov-requests/files';
import * as paymentLinkRequests from '../domain/moov-requests/payment-links';
import * as resolutionLinkRequests from '../domain/moov-requests/resolution-links';
import * as openRequirements from '../domain/open-requirements';
import * as remediationDetails from '../domain/remediation-details';
import * as remediationInput from '../domain/remediation-input';
import * as remediationStatus from '../domain/remediation-status';
import * as resolutionLinkStatus from '../domain/resolution-link-status';
import * as searchAttributes from '../domain/search-attributes';
import * as startUrgency from '../domain/start-urgency';
import * as sweepInput from '../domain/sweep-input';
import * as validation from '../domain/validation';
import * as workflowIds from '../domain/workflow-ids';

/** Each shared module by its path under src/domain. */
export const SHARED_DOMAIN_MODULES: Readonly<Record<string, object>> = Object.freeze({
  'account-event-triage': accountEventTriage,
  'activity-contracts': activityContracts,
  'activity-timeouts': activityTimeouts,
  'connection-outcome': connectionOutcome,
  'failure-types': failureTypes,
  'metric-names': metricNames,
  'moov-outage': moovOutage,
  'moov-requests/connections': connectionRequests,
  'moov-requests/files': fileRequests,
  'moov-requests/payment-links': paymentLinkRequests,
  'moov-requests/resolution-links': resolutionLinkRequests,
  'open-requirements': openRequirements,
  'remediation-details': remediationDetails,
  'remediation-input': remediationInput,
  'remediation-status': remediationStatus,
  'resolution-link-status': resolutionLinkStatus,
  'search-attributes': searchAttributes,
  'start-urgency': startUrgency,
  'sweep-input': sweepInput,
  validation,
  'workflow-ids': workflowIds,
});

/**
 * A module's exports object in the bundle: webpack tags an ES module's with `Symbol.toStringTag`
 * "Module"; a CommonJS build's (dist/, and zod's own .cjs files there) says `__esModule`.
 */
function isModuleExports(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const exports = value as { [Symbol.toStringTag]?: unknown; __esModule?: unknown };
  return exports[Symbol.toStringTag] === 'Module' || exports.__esModule === true;
}

function isZodSchema(value: object): boolean {
  return '_zod' in value;
}

/**
 * Deep-freezes a constant a domain module exports (a table, a list, a setting's defaults), as
 * the SDK would: shared, a change one workflow made would reach the next. It stops at a zod
 * schema and a regex, which zod completes and resets as it parses.
 */
function freezeConstant(value: unknown, seen: WeakSet<object>): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object' && (isZodSchema(value) || value instanceof RegExp || isModuleExports(value))) return;
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) freezeConstant((value as Record<PropertyKey, unknown>)[key], seen);
  }
  Object.freeze(value);
}

/**
 * Freezes, shallowly, a module's exports object and every module's exports object reachable from
 * it through re-exports (`z.regexes`, `z.core`, …): a regex zod exports resets its `lastIndex` on
 * every check, which a frozen regex refuses.
 */
function freezeExports(moduleExports: object, seen: WeakSet<object>): void {
  if (seen.has(moduleExports)) return;
  seen.add(moduleExports);
  for (const key of Object.keys(moduleExports)) {
    const value = (moduleExports as Record<string, unknown>)[key];
    if (isModuleExports(value)) freezeExports(value, seen);
  }
  Object.freeze(moduleExports);
}

const frozen = new WeakSet<object>();
for (const moduleExports of [z, ...Object.values(SHARED_DOMAIN_MODULES)]) freezeExports(moduleExports, frozen);
const constants = new WeakSet<object>();
for (const moduleExports of Object.values(SHARED_DOMAIN_MODULES)) {
  for (const key of Object.keys(moduleExports)) freezeConstant((moduleExports as Record<string, unknown>)[key], constants);
}

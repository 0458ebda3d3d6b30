import { z } from 'zod';

/**
 * Zod building blocks for everything the project checks before it calls Moov: the remediation and
 * sweep inputs (validated again inside the workflow) and the wire layer's request schemas, which
 * import them from here. Workflow-safe: zod only.
 */

/**
 * A schema built the first time something parses with it. Each workflow run evaluates the
 * workflow bundle's modules afresh (the SDK's reusable V8 context keeps module state per run), so
 * a schema at module scope is built again for every remediation, and zod's construction is not
 * cheap: the ones a run may never use (payment-link updates, the sweep's and the triage's inputs)
 * are built lazily instead. Parsing is the same, issues and paths included (`z.lazy`).
 */
export function lazySchema<T extends z.ZodType>(build: () => T): z.ZodLazy<T> {
  let built: T | undefined;
  return z.lazy(() => (built ??= build()));
}

/** A missing field says "is required" rather than zod's "expected string, received undefined". */
export function str(what = 'a string') {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });
}

/**
 * Path segments are user data placed into a URL; '/' or whitespace means the caller passed the
 * wrong thing (a URL, a path, a padded ID), which is better caught here than as a confusing 404.
 */
export const pathParam = str()
  .min(1, { error: 'must not be empty', abort: true })
  .regex(/^[^\s/]+$/, "must not contain '/' or whitespace");

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** One line per problem, field first, never the offending value (it may be PII). */
export function formatIssues(error: z.ZodError, root?: string): string {
  return error.issues
    .map((issue) => {
      const path = [root, formatPath(issue.path)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

import { z } from 'zod';

/**
 * A response enum that accepts values Moov adds later. The known values stay in the type for
 * editor completion; `string & Record<never, never>` keeps TypeScript from collapsing the union
 * into plain `string`.
 */
export type Open<T extends string> = T | (string & Record<never, never>);

export function openEnum<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<Open<T[number]>> {
  return z.union([z.enum(values), z.string()]) as unknown as z.ZodType<Open<T[number]>>;
}

/** Go servers encode an empty slice as `null`; the caller should just see an empty list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === null ? [] : value), z.array(item));
}

/** A missing field says "is required" rather than zod's "expected string, received undefined". */
export function str(what = 'a string') {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });
}

/** Parse-level fallback for the same, covering objects and arrays without their own message. */
export const requiredErrorMap = (issue: { code?: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Timestamps stay ISO strings: results travel through Temporal payloads as JSON. */
export const timestamp = z.string();

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

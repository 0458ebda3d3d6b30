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

/** Parse-level fallback for `str()`'s "is required", covering objects and arrays without their own message. */
export const requiredErrorMap = (issue: { code?: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Timestamps stay ISO strings: results travel through Temporal payloads as JSON. */
export const timestamp = z.string();

// The input-side building blocks live in src/domain (the workflow's input checks use them too).
export { formatIssues, pathParam, str } from '../../domain/validation';

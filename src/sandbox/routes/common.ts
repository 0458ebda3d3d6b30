import type { z } from 'zod';
import type { HandlerContext } from '../context';
import { HttpError, errorBody, fail } from '../http-io';
import type { AccountRecord } from '../state';

export function param(ctx: HandlerContext, name: string): string {
  const value = ctx.params[name];
  // find-my-way only matches when every parameter is present; this guards the types.
  if (value === undefined || value === '') throw fail(404, `missing path parameter ${name}`);
  return value;
}

/** The path's account, or Moov's 404. The partner account counts: it is a real Moov account too. */
export function requireAccount(ctx: HandlerContext): AccountRecord {
  const accountID = param(ctx, 'accountID');
  const account = ctx.core.state.get(accountID);
  if (!account) throw fail(404, `account ${accountID} not found`);
  return account;
}

/** Validates admin input: 422 with zod's issues so a test author sees what was wrong. */
export function parseAdmin<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new HttpError(422, {
      ...errorBody(result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')),
      issues: result.error.issues,
    });
  }
  return result.data;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The named query parameters of a log listing, each undefined when absent (a filter that is not set). */
export function queryFilter<K extends string>(ctx: HandlerContext, names: readonly K[]): Partial<Record<K, string>> {
  const filter: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = ctx.query.get(name);
    if (value !== null) filter[name] = value;
  }
  return filter;
}

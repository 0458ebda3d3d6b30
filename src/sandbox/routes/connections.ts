import type { HandlerContext, RouteDef } from '../context';
import { HttpError, fail, readJsonBody, reply } from '../http-io';
import { APPLICATION_SCOPES } from '../models';
import { isPlainObject, requireAccount } from './common';

/** Moov's 422 here: `{principalAccountID?, allowScopes?: {"<index>": msg}}`. */
function invalid(errors: { principalAccountID?: string; allowScopes?: Record<string, string> }): HttpError {
  return new HttpError(422, errors);
}

async function share(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const body = await readJsonBody(ctx.req);
  if (!isPlainObject(body)) throw fail(400, 'request body must be a JSON object');
  const { principalAccountID, allowScopes } = body;

  const errors: { principalAccountID?: string; allowScopes?: Record<string, string> } = {};
  if (typeof principalAccountID !== 'string' || principalAccountID === '') {
    errors.principalAccountID = 'principalAccountID is required';
  } else if (!ctx.core.state.get(principalAccountID)) {
    errors.principalAccountID = `account ${principalAccountID} not found`;
  } else if (principalAccountID === account.accountID) {
    errors.principalAccountID = 'an account cannot share a connection with itself';
  }
  if (allowScopes !== undefined && allowScopes !== null) {
    if (!Array.isArray(allowScopes)) throw fail(400, 'allowScopes must be an array');
    const scopeErrors: Record<string, string> = {};
    allowScopes.forEach((scope: unknown, index) => {
      if (typeof scope !== 'string' || !(APPLICATION_SCOPES as readonly string[]).includes(scope)) {
        scopeErrors[String(index)] = `${JSON.stringify(scope)} is not a valid scope`;
      }
    });
    if (Object.keys(scopeErrors).length > 0) errors.allowScopes = scopeErrors;
  }
  if (errors.principalAccountID !== undefined || errors.allowScopes !== undefined) throw invalid(errors);

  const principal = principalAccountID as string;
  if (account.connections.some((c) => c.principalAccountID === principal)) {
    throw fail(409, `account ${account.accountID} is already connected to ${principal}`);
  }
  // Omitted scopes mean "all intersecting scopes"; the sandbox partner holds every scope.
  const scopes = Array.isArray(allowScopes) && allowScopes.length > 0 ? [...new Set(allowScopes as string[])] : [...APPLICATION_SCOPES];
  account.connections.push({ principalAccountID: principal, allowScopes: scopes, createdOn: ctx.core.clock.iso() });
  return reply(201);
}

export const connectionRoutes: RouteDef[] = [
  { method: 'POST', path: '/accounts/:accountID/connections', kind: 'moov', retryHint: 'retry-after', handler: share },
];

import type { HandlerContext, RouteDef } from '../context';
import { fail, reply } from '../http-io';
import type { AccountRecord } from '../state';
import { param, requireAccount } from './common';

// Moov's pages give no default or maximum for `count`; 200 is an assumption and no cap is invented.
export const DEFAULT_PAGE_COUNT = 200;

function intParam(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw fail(400, `${name} must be an integer >= ${min}`);
  return Number(raw);
}

/** The connected-account query shared by GET /accounts and GET /accounts/{id}/connected-accounts. */
function filterAccounts(ctx: HandlerContext, accounts: AccountRecord[]) {
  const q = ctx.query;
  const skip = intParam(q, 'skip', 0, 0);
  const asked = intParam(q, 'count', DEFAULT_PAGE_COUNT, 1);
  const count = Math.min(asked, ctx.core.options.maxPageCount ?? asked);
  const capability = q.get('capability');
  const capabilityStatus = q.get('capabilityStatus');
  const name = q.get('name')?.toLowerCase();
  const email = q.get('email')?.toLowerCase();
  const type = q.get('type');
  const foreignID = q.get('foreignID');

  const matches = accounts.filter((a) => {
    const caps = [...a.capabilities.values()];
    if (capability && capabilityStatus && !caps.some((c) => c.capability === capability && c.status === capabilityStatus)) return false;
    if (capability && !capabilityStatus && !caps.some((c) => c.capability === capability)) return false;
    if (!capability && capabilityStatus && !caps.some((c) => c.status === capabilityStatus)) return false;
    if (name && !a.displayName.toLowerCase().includes(name)) return false;
    if (email && a.email?.toLowerCase() !== email) return false;
    if (type && a.accountType !== type) return false;
    if (foreignID && a.foreignID !== foreignID) return false;
    return true;
  });
  return reply(
    200,
    matches.slice(skip, skip + count).map((a) => ctx.core.state.accountView(a)),
  );
}

function list(ctx: HandlerContext) {
  return filterAccounts(ctx, ctx.core.state.merchants());
}

/** Accounts connected to `accountID`: every merchant for the partner, else those that shared with it. */
function listConnected(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const merchants = ctx.core.state.merchants();
  const connected = account.partner
    ? merchants
    : merchants.filter((m) => m.connections.some((c) => c.principalAccountID === account.accountID));
  return filterAccounts(ctx, connected);
}

function get(ctx: HandlerContext) {
  return reply(200, ctx.core.state.accountView(requireAccount(ctx)));
}

function listCapabilities(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  return reply(
    200,
    [...account.capabilities.values()].map((c) => ctx.core.state.capabilityView(c)),
  );
}

function getCapability(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const id = param(ctx, 'capabilityID');
  const capability = account.capabilities.get(id);
  if (!capability) throw fail(404, `capability ${id} not found`);
  return reply(200, ctx.core.state.capabilityView(capability));
}

export const accountRoutes: RouteDef[] = [
  { method: 'GET', path: '/accounts', kind: 'moov', retryHint: 'retry-after', handler: list },
  { method: 'GET', path: '/accounts/:accountID', kind: 'moov', retryHint: 'retry-after', handler: get },
  { method: 'GET', path: '/accounts/:accountID/connected-accounts', kind: 'moov', retryHint: 'retry-after', handler: listConnected },
  { method: 'GET', path: '/accounts/:accountID/capabilities', kind: 'moov', retryHint: 'retry-after', handler: listCapabilities },
  { method: 'GET', path: '/accounts/:accountID/capabilities/:capabilityID', kind: 'moov', retryHint: 'retry-after', handler: getCapability },
];

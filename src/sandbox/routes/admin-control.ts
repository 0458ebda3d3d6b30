import { z } from 'zod';
import type { HandlerContext, RouteDef } from '../context';
import { ANY_ROUTE, faultRuleInputSchema } from '../faults';
import { fail, readJsonBody, reply } from '../http-io';
import { parseAdmin, queryFilter } from './common';

const MAX_OFFSET_MS = 366 * 24 * 60 * 60 * 1000;

const clockChangeSchema = z.union([
  z.object({ advanceMs: z.number().int().min(0) }).strict(),
  // A year either way is far beyond any real skew; the bound keeps Date arithmetic finite.
  z.object({ offsetMs: z.number().int().min(-MAX_OFFSET_MS).max(MAX_OFFSET_MS) }).strict(),
]);

async function addFault(ctx: HandlerContext) {
  const input = parseAdmin(faultRuleInputSchema, await readJsonBody(ctx.req));
  // A typo in `route` would otherwise create a rule that silently never fires.
  if (input.route !== ANY_ROUTE && !ctx.core.moovRoutes.includes(input.route)) {
    throw fail(422, `unknown route "${input.route}"; use one of: ${ANY_ROUTE}, ${ctx.core.moovRoutes.join(', ')}`);
  }
  const rule = ctx.core.faults.add(input);
  return reply(201, { id: rule.id });
}

function clock(ctx: HandlerContext) {
  return { now: ctx.core.clock.iso(), offsetMs: ctx.core.clock.offset };
}

async function changeClock(ctx: HandlerContext) {
  const change = parseAdmin(clockChangeSchema, await readJsonBody(ctx.req));
  if ('advanceMs' in change) ctx.core.clock.advance(change.advanceMs);
  else ctx.core.clock.setOffset(change.offsetMs);
  return reply(200, clock(ctx));
}

/** `?wait=true` answers only once nothing is held, so a check of the final state sees every write. */
async function heldRequests(ctx: HandlerContext) {
  if (ctx.query.get('wait') === 'true') await ctx.core.held.settled();
  return reply(200, ctx.core.held.counts());
}

function requests(ctx: HandlerContext) {
  return reply(200, ctx.core.log.list(queryFilter(ctx, ['route', 'accountID', 'method'])));
}

function reset(ctx: HandlerContext) {
  const { core } = ctx;
  core.state.reset();
  core.faults.clear();
  core.log.reset();
  core.clock.reset();
  core.held.cancelAll();
  core.limiter.reset();
  core.webhooks.reset();
  core.afterReset();
  return reply(204);
}

export const adminControlRoutes: RouteDef[] = [
  { method: 'GET', path: '/_sandbox/health', kind: 'admin', handler: (ctx) => reply(200, { ok: true, url: ctx.core.baseUrl }) },
  { method: 'POST', path: '/_sandbox/faults', kind: 'admin', handler: addFault },
  { method: 'GET', path: '/_sandbox/faults', kind: 'admin', handler: (ctx) => reply(200, ctx.core.faults.list()) },
  {
    method: 'DELETE',
    path: '/_sandbox/faults',
    kind: 'admin',
    handler: (ctx) => {
      ctx.core.faults.clear();
      return reply(204);
    },
  },
  { method: 'GET', path: '/_sandbox/clock', kind: 'admin', handler: (ctx) => reply(200, clock(ctx)) },
  { method: 'POST', path: '/_sandbox/clock', kind: 'admin', handler: changeClock },
  { method: 'GET', path: '/_sandbox/held', kind: 'admin', handler: heldRequests },
  { method: 'GET', path: '/_sandbox/requests', kind: 'admin', handler: requests },
  {
    method: 'DELETE',
    path: '/_sandbox/requests',
    kind: 'admin',
    handler: (ctx) => {
      ctx.core.log.clear();
      return reply(204);
    },
  },
  { method: 'POST', path: '/_sandbox/reset', kind: 'admin', handler: reset },
];

import { z } from 'zod';
import type { HandlerContext, RouteDef } from '../context';
import { fail, readJsonBody, reply } from '../http-io';
import type { Representative } from '../models';
import type { AccountRecord } from '../state';
import { param, parseAdmin, requireAccount } from './common';
import { phoneSchema } from './admin';

/**
 * The merchant managing its business representatives, as it would in Moov's onboarding
 * (docs.moov.io/api/moov-accounts/representatives/): each call is a representative.* webhook event.
 * The fields follow the SDK's `Representative` (name, email, phone, responsibilities).
 */
const representativeSchema = z
  .object({
    name: z.object({ firstName: z.string().min(1), lastName: z.string().min(1) }).strict(),
    email: z.email().optional(),
    phone: phoneSchema.optional(),
    responsibilities: z
      .object({
        isController: z.boolean().optional(),
        isOwner: z.boolean().optional(),
        ownershipPercentage: z.number().min(0).max(100).optional(),
        jobTitle: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

function requireRepresentative(ctx: HandlerContext, account: AccountRecord): Representative {
  const representativeID = param(ctx, 'representativeID');
  const found = ctx.core.state.representative(account, representativeID);
  if (!found) throw fail(404, `representative ${representativeID} not found`);
  return found;
}

// "Each account is allowed a maximum of 7 representatives" (docs.moov.io/api/moov-accounts/representatives/create/).
const MAX_REPRESENTATIVES = 7;

async function addRepresentative(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const input = parseAdmin(representativeSchema, await readJsonBody(ctx.req));
  const listed = [...account.representatives.values()].filter((r) => r.disabledOn === undefined).length;
  if (listed >= MAX_REPRESENTATIVES) throw fail(422, `account ${account.accountID} already has ${MAX_REPRESENTATIVES} representatives`);
  return reply(201, structuredClone(ctx.core.state.addRepresentative(account, input)));
}

async function updateRepresentative(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const representative = requireRepresentative(ctx, account);
  const patch = parseAdmin(representativeSchema.partial(), await readJsonBody(ctx.req));
  return reply(200, structuredClone(ctx.core.state.updateRepresentative(account, representative, patch)));
}

function deleteRepresentative(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  ctx.core.state.deleteRepresentative(account, requireRepresentative(ctx, account));
  return reply(204);
}

const R = '/_sandbox/accounts/:accountID/representatives';
export const adminRepresentativeRoutes: RouteDef[] = [
  { method: 'POST', path: R, kind: 'admin', handler: addRepresentative },
  { method: 'PATCH', path: `${R}/:representativeID`, kind: 'admin', handler: updateRepresentative },
  { method: 'DELETE', path: `${R}/:representativeID`, kind: 'admin', handler: deleteRepresentative },
];

import { z } from 'zod';
import type { HandlerContext, RouteDef, SandboxCore } from '../context';
import { fail, readJsonBody, reply } from '../http-io';
import { newUUID } from '../ids';
import { CAPABILITY_STATUSES, FILE_STATUSES, PAYMENT_LINK_STATUSES, RESOLUTION_LINK_STATUSES } from '../models';
import type { AccountRecord } from '../state';
import { param, parseAdmin, requireAccount } from './common';
import { amountSchema, customerSchema, displaySchema, findPaymentLink, newPaymentLink, paymentSchema, payoutSchema } from './payment-links';
import { conflictIfActive, findLink, newResolutionLink } from './resolution-links';

export const phoneSchema = z.object({
  number: z.string().regex(/^\d{1,10}$/, 'must be 1 to 10 digits'),
  countryCode: z.string().regex(/^\d$/, 'must be one digit'),
});
const requirementsSchema = z.object({
  currentlyDue: z.array(z.string().min(1)).optional(),
  errors: z.array(z.object({ requirement: z.string().min(1), errorCode: z.string().min(1).optional() })).optional(),
});
const capabilityPatchSchema = z
  .object({
    status: z.enum(CAPABILITY_STATUSES).optional(),
    requirements: requirementsSchema.optional(),
    disabledReason: z.string().optional(),
  })
  .strict();
const capabilitySeedSchema = capabilityPatchSchema.extend({ capability: z.string().min(1) });

const createAccountSchema = z
  .object({
    // Any 8-4-4-4-12 hex id, so tests may use readable fixed ids.
    accountID: z.guid().optional(),
    displayName: z.string().min(1).optional(),
    accountType: z.enum(['individual', 'business']).optional(),
    email: z.email().optional(),
    phone: phoneSchema.optional(),
    foreignID: z.string().min(1).optional(),
    capabilities: z.array(capabilitySeedSchema).optional(),
  })
  .strict();

// The merchant editing its profile (account.updated when a field changes).
const patchProfileSchema = createAccountSchema.pick({ displayName: true, email: true, phone: true, foreignID: true }).strict();

const datetime = z.iso.datetime({ offset: true });

const seedPaymentLinkSchema = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
    paymentLinkType: z.enum(['payment', 'payout']).optional(),
    status: z.enum(PAYMENT_LINK_STATUSES).optional(),
    amount: amountSchema.optional(),
    display: displaySchema.optional(),
    customer: customerSchema.optional(),
    payment: paymentSchema.optional(),
    payout: payoutSchema.optional(),
    expiresOn: datetime.optional(),
    uses: z.number().int().min(0).optional(),
    maxUses: z.number().int().min(1).optional(),
  })
  .strict();

const patchPaymentLinkSchema = z
  .object({ status: z.enum(PAYMENT_LINK_STATUSES).optional(), uses: z.number().int().min(0).optional() })
  .strict();

const seedResolutionLinkSchema = z
  .object({
    recipient: z.string().min(1).optional(),
    status: z.enum(RESOLUTION_LINK_STATUSES).optional(),
    createdOn: datetime.optional(),
    expiresOn: datetime.optional(),
    /** Default: the sandbox's own partner (a link sent from the same partner's dashboard). */
    partnerAccountID: z.string().min(1).optional(),
    statusOmitted: z.boolean().optional(),
  })
  .strict();

const patchResolutionLinkSchema = z
  .object({ status: z.enum(RESOLUTION_LINK_STATUSES).optional(), expiresOn: datetime.optional() })
  .strict();

const patchFileSchema = z
  .object({ fileStatus: z.enum(FILE_STATUSES), decisionReason: z.string().optional() })
  .strict();

async function body(ctx: HandlerContext): Promise<unknown> {
  return readJsonBody(ctx.req, { allowEmpty: true });
}

/** Shared by the admin endpoint and the demo seeding. */
export function seedAccount(core: SandboxCore, input: z.infer<typeof createAccountSchema>): AccountRecord {
  const accountID = input.accountID?.toLowerCase() ?? newUUID();
  if (core.state.get(accountID)) throw fail(409, `account ${accountID} already exists`);
  return core.state.createAccount(
    {
      accountID,
      accountType: input.accountType ?? 'business',
      displayName: input.displayName ?? `Sandbox Merchant ${accountID.slice(0, 8)}`,
      email: input.email,
      phone: input.phone,
      foreignID: input.foreignID,
    },
    input.capabilities,
  );
}

async function createAccount(ctx: HandlerContext) {
  const account = seedAccount(ctx.core, parseAdmin(createAccountSchema, await body(ctx)));
  return reply(201, ctx.core.state.accountView(account));
}

async function patchProfile(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const patch = parseAdmin(patchProfileSchema, await body(ctx));
  return reply(200, ctx.core.state.accountView(ctx.core.state.updateProfile(account, patch)));
}

async function patchCapability(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const input = parseAdmin(capabilityPatchSchema, await body(ctx));
  const capability = ctx.core.state.upsertCapability(account, { capability: param(ctx, 'capability'), ...input });
  return reply(200, ctx.core.state.capabilityView(capability));
}

async function seedPaymentLink(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const input = parseAdmin(seedPaymentLinkSchema, await body(ctx));
  if (input.payment && input.paymentLinkType === 'payout') throw fail(422, 'payment options apply to payment links only');
  if (input.payout && input.paymentLinkType !== 'payout') throw fail(422, 'payout options need paymentLinkType "payout"');
  if (input.code && account.paymentLinks.has(input.code)) throw fail(409, `payment link ${input.code} already exists`);
  const link = newPaymentLink(ctx.core, account, input);
  account.paymentLinks.set(link.code, link);
  return reply(201, ctx.core.state.paymentLinkView(link));
}

async function patchPaymentLink(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const link = findPaymentLink(account, param(ctx, 'code'));
  const input = parseAdmin(patchPaymentLinkSchema, await body(ctx));
  const now = ctx.core.clock.iso();
  if (input.status !== undefined) {
    if (input.status === 'disabled' && link.status !== 'disabled') link.disabledOn = now;
    if (input.status !== 'disabled') delete link.disabledOn;
    link.status = input.status;
  }
  if (input.uses !== undefined) {
    link.uses = input.uses;
    link.lastUsedOn = now;
  }
  link.updatedOn = now;
  return reply(200, ctx.core.state.paymentLinkView(link));
}

/** A link "created by someone else" (another operator, the dashboard). The one-active rule still holds. */
async function seedResolutionLink(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const input = parseAdmin(seedResolutionLinkSchema, await body(ctx));
  const link = newResolutionLink(ctx.core, account, {
    recipient: input.recipient ?? account.email ?? 'merchant@example.com',
    status: input.status,
    createdOn: input.createdOn && new Date(input.createdOn).toISOString(),
    expiresOn: input.expiresOn && new Date(input.expiresOn).toISOString(),
    partnerAccountID: input.partnerAccountID,
    statusOmitted: input.statusOmitted,
  });
  if (ctx.core.state.resolutionLinkView(link).status === 'active') conflictIfActive(ctx, account);
  account.resolutionLinks.push(link);
  return reply(201, ctx.core.state.resolutionLinkView(link));
}

async function patchResolutionLink(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const link = findLink(account, param(ctx, 'code'));
  const input = parseAdmin(patchResolutionLinkSchema, await body(ctx));
  const { state } = ctx.core;
  const status = input.status ?? link.status;
  const expiresOn = input.expiresOn !== undefined ? new Date(input.expiresOn).toISOString() : link.expiresOn;
  if (state.resolutionLinkView({ ...link, status, expiresOn }).status === 'active') {
    const other = account.resolutionLinks.find((l) => l !== link && state.resolutionLinkView(l).status === 'active');
    if (other) throw fail(409, `account ${account.accountID} already has an active resolution link (${other.code})`);
  }
  const now = ctx.core.clock.iso();
  if (status === 'disabled' && link.status !== 'disabled') link.disabledOn = now;
  if (status !== 'disabled') delete link.disabledOn;
  link.status = status;
  link.expiresOn = expiresOn;
  link.updatedOn = now;
  return reply(200, state.resolutionLinkView(link));
}

async function patchFile(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const fileID = param(ctx, 'fileID');
  const file = account.files.find((f) => f.fileID === fileID);
  if (!file) throw fail(404, `file ${fileID} not found`);
  const input = parseAdmin(patchFileSchema, await body(ctx));
  file.fileStatus = input.fileStatus;
  if (input.decisionReason !== undefined) file.decisionReason = input.decisionReason;
  file.updatedOn = ctx.core.clock.iso();
  return reply(200, { ...file });
}

function accountState(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const { state } = ctx.core;
  return reply(200, {
    account: state.accountView(account),
    capabilities: [...account.capabilities.values()].map((c) => state.capabilityView(c)),
    files: account.files.map((f) => ({ ...f, contentSHA256: account.fileDigests.get(f.fileID) })),
    resolutionLinks: account.resolutionLinks.map((l) => state.resolutionLinkView(l)),
    connections: account.connections.map((c) => ({ ...c, allowScopes: [...c.allowScopes] })),
    paymentLinks: [...account.paymentLinks.values()].map((l) => state.paymentLinkView(l)),
    representatives: [...account.representatives.values()].map((r) => structuredClone(r)),
  });
}

const A = '/_sandbox/accounts/:accountID';
export const adminDataRoutes: RouteDef[] = [
  { method: 'POST', path: '/_sandbox/accounts', kind: 'admin', handler: createAccount },
  { method: 'PATCH', path: A, kind: 'admin', handler: patchProfile },
  { method: 'GET', path: `${A}/state`, kind: 'admin', handler: accountState },
  { method: 'PATCH', path: `${A}/capabilities/:capability`, kind: 'admin', handler: patchCapability },
  { method: 'POST', path: `${A}/payment-links`, kind: 'admin', handler: seedPaymentLink },
  { method: 'PATCH', path: `${A}/payment-links/:code`, kind: 'admin', handler: patchPaymentLink },
  { method: 'POST', path: `${A}/resolution-links`, kind: 'admin', handler: seedResolutionLink },
  { method: 'PATCH', path: `${A}/resolution-links/:code`, kind: 'admin', handler: patchResolutionLink },
  { method: 'PATCH', path: `${A}/files/:fileID`, kind: 'admin', handler: patchFile },
];

export type AccountSeed = z.infer<typeof createAccountSchema>;

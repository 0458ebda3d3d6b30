import { z } from 'zod';
import type { HandlerContext, RouteDef, SandboxCore } from '../context';
import { fail, readJsonBody, reply } from '../http-io';
import { newCode, newUUID } from '../ids';
import type { PaymentLink } from '../models';
import { CALL_TO_ACTIONS, COLLECTION_METHODS, DISBURSEMENT_METHODS } from '../models';
import type { AccountRecord } from '../state';
import { param, requireAccount } from './common';

// Limits from Moov's "Update payment link" page (docs.moov.io/api/money-movement/payment-links/).
export const amountSchema = z.object({
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code').optional(),
  value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export const displaySchema = z.object({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  callToAction: z.enum(CALL_TO_ACTIONS).optional(),
});
export const customerSchema = z.object({
  requireAddress: z.boolean().optional(),
  requirePhone: z.boolean().optional(),
  tippingEnabled: z.boolean().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export const paymentSchema = z.object({
  allowedMethods: z.array(z.enum(COLLECTION_METHODS)).min(1),
  achDetails: z
    .object({
      companyEntryDescription: z.string().min(4).max(10).optional(),
      originatingCompanyName: z.string().min(4).max(16).optional(),
    })
    .optional(),
  cardDetails: z.object({ dynamicDescriptor: z.string().min(4).max(22).optional() }).optional(),
});
export const payoutSchema = z.object({
  allowedMethods: z.array(z.enum(DISBURSEMENT_METHODS)).min(1),
  recipient: z.object({ email: z.email() }),
});
export const expiresOnSchema = z
  .string()
  .max(24)
  .pipe(z.iso.datetime({ offset: true }));

const updateSchema = z.object({
  amount: amountSchema.optional(),
  customer: customerSchema.optional(),
  display: displaySchema.optional(),
  expiresOn: expiresOnSchema.nullable().optional(),
  payment: paymentSchema.optional(),
  payout: payoutSchema.optional(),
});

export function findPaymentLink(account: AccountRecord, code: string): PaymentLink {
  const link = account.paymentLinks.get(code);
  if (!link) throw fail(404, `payment link ${code} not found`);
  return link;
}

function get(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  return reply(200, ctx.core.state.paymentLinkView(findPaymentLink(account, param(ctx, 'code'))));
}

async function update(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const link = findPaymentLink(account, param(ctx, 'code'));
  const parsed = updateSchema.safeParse(await readJsonBody(ctx.req));
  if (!parsed.success) {
    throw fail(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  const patch = parsed.data;
  if (patch.payment && link.paymentLinkType !== 'payment') throw fail(400, 'payment options apply to payment links only');
  if (patch.payout && link.paymentLinkType !== 'payout') throw fail(400, 'payout options apply to payout links only');
  if (patch.expiresOn && Date.parse(patch.expiresOn) <= ctx.core.clock.nowMs()) {
    throw fail(400, 'expiresOn must be in the future');
  }

  // Validate everything first, then mutate: a refused PATCH leaves the link untouched.
  if (patch.amount) link.amount = { ...link.amount, ...patch.amount, currency: (patch.amount.currency ?? link.amount.currency).toUpperCase() };
  if (patch.display) link.display = { ...link.display, ...patch.display };
  if (patch.customer) link.customer = { ...link.customer, ...patch.customer };
  if (patch.expiresOn === null) delete link.expiresOn;
  else if (patch.expiresOn !== undefined) link.expiresOn = new Date(patch.expiresOn).toISOString();
  if (patch.payment) {
    link.payment = {
      allowedMethods: patch.payment.allowedMethods,
      ...mergeOptional('achDetails', link.payment?.achDetails, patch.payment.achDetails),
      ...mergeOptional('cardDetails', link.payment?.cardDetails, patch.payment.cardDetails),
    };
  }
  if (patch.payout) link.payout = { allowedMethods: patch.payout.allowedMethods, recipient: { ...patch.payout.recipient } };
  link.updatedOn = ctx.core.clock.iso();
  return reply(200, ctx.core.state.paymentLinkView(link));
}

function mergeOptional<K extends string, T extends object>(key: K, current: T | undefined, patch: T | undefined) {
  if (current === undefined && patch === undefined) return {};
  return { [key]: { ...current, ...patch } } as Record<K, T>;
}

export type PaymentLinkSeed = Partial<
  Pick<PaymentLink, 'code' | 'paymentLinkType' | 'status' | 'uses' | 'maxUses' | 'expiresOn' | 'customer' | 'payment' | 'payout'>
> & { amount?: Partial<PaymentLink['amount']>; display?: Partial<PaymentLink['display']> };

/** A complete PaymentLink with a default for every required field; `seed` overrides. */
export function newPaymentLink(core: SandboxCore, account: AccountRecord, seed: PaymentLinkSeed = {}): PaymentLink {
  const code = seed.code ?? newCode();
  const now = core.clock.iso();
  const type = seed.paymentLinkType ?? 'payment';
  const link: PaymentLink = {
    code,
    paymentLinkType: type,
    mode: 'sandbox',
    status: seed.status ?? 'active',
    partnerAccountID: core.options.partnerAccountID,
    merchantAccountID: account.accountID,
    ownerAccountID: account.accountID,
    merchantPaymentMethodID: newUUID(),
    link: `https://moov.money/${code}`,
    amount: { currency: 'USD', value: 1000, ...seed.amount },
    uses: seed.uses ?? 0,
    display: {
      title: 'Sandbox payment',
      description: 'Payment link seeded by the Moov sandbox',
      callToAction: type === 'payout' ? 'confirm' : 'pay',
      ...seed.display,
    },
    customer: seed.customer ?? { requirePhone: false, requireAddress: false },
    createdOn: now,
    updatedOn: now,
  };
  if (seed.maxUses !== undefined) link.maxUses = seed.maxUses;
  if (seed.expiresOn !== undefined) link.expiresOn = new Date(seed.expiresOn).toISOString();
  if (type === 'payment') link.payment = seed.payment ?? { allowedMethods: ['card-payment', 'ach-debit-collect'] };
  else link.payout = seed.payout ?? { allowedMethods: ['ach-credit-standard'], recipient: { email: 'payee@example.com' } };
  if (link.status === 'disabled') link.disabledOn = now;
  return link;
}

export const paymentLinkRoutes: RouteDef[] = [
  { method: 'GET', path: '/accounts/:accountID/payment-links/:code', kind: 'moov', retryHint: 'retry-after', handler: get },
  { method: 'PATCH', path: '/accounts/:accountID/payment-links/:code', kind: 'moov', retryHint: 'retry-after', handler: update },
];

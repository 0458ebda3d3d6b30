import type { HandlerContext, RouteDef, SandboxCore } from '../context';
import { HttpError, fail, readJsonBody, reply } from '../http-io';
import { newCode } from '../ids';
import type { ResolutionLink } from '../models';
import type { AccountRecord } from '../state';
import { isPlainObject, param, requireAccount } from './common';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Moov's 422 for this endpoint: `{email?, phone?}` (CreateResolutionLinkError in the SDK). */
function invalidRecipient(errors: { email?: string; phone?: string }): HttpError {
  return new HttpError(422, errors);
}

/** Returns the recipient as Moov echoes it: the email, or country code + number ("15555555555"). */
export function parseRecipient(body: unknown): string {
  if (!isPlainObject(body)) throw fail(400, 'request body must be a JSON object');
  const recipient = body.recipient;
  if (recipient === undefined || recipient === null) {
    const message = 'recipient is required: provide either email or phone';
    throw invalidRecipient({ email: message, phone: message });
  }
  if (!isPlainObject(recipient)) throw fail(400, 'recipient must be an object');
  const { email, phone } = recipient;
  const hasEmail = email !== undefined && email !== null;
  const hasPhone = phone !== undefined && phone !== null;
  if (hasEmail === hasPhone) {
    const message = hasEmail ? 'provide either email or phone, not both' : 'provide either email or phone';
    throw invalidRecipient({ email: message, phone: message });
  }
  if (hasEmail) {
    if (typeof email !== 'string' || !EMAIL_RE.test(email) || email.length > 255) {
      throw invalidRecipient({ email: 'must be a valid email address' });
    }
    return email;
  }
  if (!isPlainObject(phone)) throw invalidRecipient({ phone: 'must be an object with number and countryCode' });
  const { number, countryCode } = phone;
  if (typeof number !== 'string' || !/^\d{1,10}$/.test(number)) {
    throw invalidRecipient({ phone: 'number must be 1 to 10 digits' });
  }
  if (countryCode !== undefined && (typeof countryCode !== 'string' || !/^\d$/.test(countryCode))) {
    throw invalidRecipient({ phone: 'countryCode must be a single digit' });
  }
  // Moov's recipient string always starts with the country code; "1" (US) when not given.
  return `${countryCode ?? '1'}${number}`;
}

export function newResolutionLink(
  core: SandboxCore,
  account: AccountRecord,
  init: {
    recipient: string;
    status?: ResolutionLink['status'];
    createdOn?: string;
    expiresOn?: string;
    partnerAccountID?: string;
    statusOmitted?: boolean;
  },
): ResolutionLink {
  const code = newCode();
  const createdOn = init.createdOn ?? core.clock.iso();
  const expiresOn =
    init.expiresOn ?? new Date(Date.parse(createdOn) + core.options.resolutionLinkTtlMs).toISOString();
  const link: ResolutionLink = {
    code,
    accountID: account.accountID,
    partnerAccountID: init.partnerAccountID ?? core.options.partnerAccountID,
    recipient: init.recipient,
    url: `${core.baseUrl}/r/${code}`,
    status: init.status ?? 'active',
    createdOn,
    updatedOn: createdOn,
    expiresOn,
  };
  if (link.status === 'disabled') link.disabledOn = createdOn;
  if (init.statusOmitted) link.statusOmitted = true;
  return link;
}

export function conflictIfActive(ctx: HandlerContext, account: AccountRecord): void {
  const active = ctx.core.state.activeResolutionLink(account);
  if (active) {
    throw fail(409, `account ${account.accountID} already has an active resolution link (${active.code})`);
  }
}

async function create(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const recipient = parseRecipient(await readJsonBody(ctx.req));
  conflictIfActive(ctx, account);
  const link = newResolutionLink(ctx.core, account, { recipient });
  account.resolutionLinks.push(link);
  return reply(200, ctx.core.state.resolutionLinkWire(link));
}

function list(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  return reply(
    200,
    account.resolutionLinks.map((l) => ctx.core.state.resolutionLinkWire(l)),
  );
}

export function findLink(account: AccountRecord, code: string): ResolutionLink {
  const link = account.resolutionLinks.find((l) => l.code === code);
  if (!link) throw fail(404, `resolution link ${code} not found`);
  return link;
}

function get(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  return reply(200, ctx.core.state.resolutionLinkWire(findLink(account, param(ctx, 'code'))));
}

function disable(ctx: HandlerContext) {
  const account = requireAccount(ctx);
  const link = findLink(account, param(ctx, 'code'));
  // Disabling twice is harmless and keeps the first disabledOn, so retries are idempotent.
  if (link.status !== 'disabled') {
    const now = ctx.core.clock.iso();
    link.status = 'disabled';
    link.disabledOn = now;
    link.updatedOn = now;
  }
  return reply(204);
}

/** The page a recipient would open; unauthenticated like Moov's hosted link. */
function landingPage(ctx: HandlerContext) {
  const code = param(ctx, 'code');
  for (const account of ctx.core.state.accounts.values()) {
    const link = account.resolutionLinks.find((l) => l.code === code);
    if (link) {
      const view = ctx.core.state.resolutionLinkView(link);
      return reply(
        200,
        `<!doctype html><title>Moov sandbox resolution link</title><p>Resolution link <b>${view.code}</b> is <b>${view.status}</b>.</p>`,
        { 'content-type': 'text/html; charset=utf-8' },
      );
    }
  }
  return reply(404, 'resolution link not found', { 'content-type': 'text/plain; charset=utf-8' });
}

export const resolutionLinkRoutes: RouteDef[] = [
  { method: 'POST', path: '/accounts/:accountID/resolution-links', kind: 'moov', retryHint: 'retry-after', handler: create },
  { method: 'GET', path: '/accounts/:accountID/resolution-links', kind: 'moov', retryHint: 'retry-after', handler: list },
  { method: 'GET', path: '/accounts/:accountID/resolution-links/:code', kind: 'moov', retryHint: 'retry-after', handler: get },
  { method: 'DELETE', path: '/accounts/:accountID/resolution-links/:code', kind: 'moov', retryHint: 'retry-after', handler: disable },
  { method: 'GET', path: '/r/:code', kind: 'public', handler: landingPage },
];

import type { HandlerContext, RouteDef } from '../context';
import { fail, readJsonBody, reply } from '../http-io';
import { webhookConfig, webhookConfigSchema, webhookView } from '../webhooks/config';
import { parseAdmin, queryFilter } from './common';

const W = '/_sandbox/webhook';

function show(ctx: HandlerContext) {
  const config = ctx.core.webhooks.current();
  return reply(200, { webhook: config ? webhookView(config) : null });
}

/** Sets the webhook (`{url, secret, webhookID?, retryDelaysMs?, timeoutMs?}`); without a webhookID an update keeps the current one's. */
async function configure(ctx: HandlerContext) {
  const input = parseAdmin(webhookConfigSchema, await readJsonBody(ctx.req));
  const config = webhookConfig(input, ctx.core.webhooks.current()?.webhookID);
  ctx.core.webhooks.configure(config);
  return reply(200, { webhook: webhookView(config) });
}

function remove(ctx: HandlerContext) {
  ctx.core.webhooks.remove();
  return reply(204);
}

/** The Dashboard's "Send test webhook": one `event.test` delivery. */
function sendTest(ctx: HandlerContext) {
  const delivery = ctx.core.webhooks.sendTest();
  if (!delivery) throw fail(409, 'no webhook is configured: PUT /_sandbox/webhook first');
  return reply(202, { eventID: delivery.event.eventID });
}

function deliveries(ctx: HandlerContext) {
  return reply(200, ctx.core.webhooks.deliveries(queryFilter(ctx, ['eventID', 'type', 'accountID', 'state'])));
}

export const adminWebhookRoutes: RouteDef[] = [
  { method: 'GET', path: W, kind: 'admin', handler: show },
  { method: 'PUT', path: W, kind: 'admin', handler: configure },
  { method: 'DELETE', path: W, kind: 'admin', handler: remove },
  { method: 'POST', path: `${W}/test`, kind: 'admin', handler: sendTest },
  { method: 'GET', path: `${W}/deliveries`, kind: 'admin', handler: deliveries },
];

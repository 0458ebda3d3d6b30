import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, authKindOf } from './auth';
import type { HandlerContext, RouteDef, SandboxCore } from './context';
import { routeTemplate } from './context';
import { bufferRequest, closedByClient } from './buffered-request';
import { faultKind, type Fault, type FaultMatch } from './faults';
import { delay } from './held-requests';
import { HttpError, errorBody, reply, writeReply } from './http-io';
import type { Reply } from './http-io';
import { newRequestId } from './ids';
import type { AuthKind, RequestLogEntry } from './request-log';
import type { Router } from './router';

// Moov versions look like v2024.01.00 (year, first month of a quarter, build); `latest` is accepted too.
const MOOV_VERSION_RE = /^v\d{4}\.(01|04|07|10)\.\d{2}$/;

/**
 * The request pipeline. Order for Moov routes:
 * route → auth (401) → X-Moov-Version (400) → rate limit (429) → configured latency
 * → fault rule → handler.
 * Faults sit after auth and rate limiting so an injected failure never hides a real 401/429, and
 * every faulted request still consumes a rate-limit token as a real one would.
 */
export async function dispatch(core: SandboxCore, router: Router, req: IncomingMessage, res: ServerResponse) {
  const requestId = newRequestId();
  const at = core.clock.iso();
  const clockOffsetMs = core.clock.offset;
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const match = router.find(method, url.pathname);
  const def = match?.def;
  const params = match?.params ?? {};
  const accountID = params.accountID ?? null;
  const authHeader = req.headers.authorization;
  const moovVersion = headerValue(req.headers['x-moov-version']);

  const logged = def === undefined || def.kind === 'moov';
  let auth: AuthKind = authKindOf(authHeader);
  let faultId: string | undefined;
  let faultLabel: string | undefined;

  const record = (status: number | null): RequestLogEntry | undefined => {
    if (!logged) return undefined;
    const entry: Omit<RequestLogEntry, 'seq'> = {
      at,
      method,
      path: url.pathname,
      route: def ? routeTemplate(def) : null,
      accountID,
      status,
      requestId,
      auth,
    };
    if (faultId !== undefined) entry.faultId = faultId;
    if (faultLabel !== undefined) entry.faultKind = faultLabel;
    if (moovVersion !== undefined) entry.moovVersion = moovVersion;
    if (clockOffsetMs !== 0) entry.clockOffsetMs = clockOffsetMs;
    if (res.destroyed || req.socket.destroyed) entry.clientGone = true;
    const full = core.log.record(entry);
    core.logger.debug(full, 'moov request');
    return full;
  };
  // The log entry is written before the first response byte, so a client that has its answer can
  // immediately find the call in GET /_sandbox/requests.
  const send = (r: Reply) => {
    const entry = record(r.status);
    if (!res.destroyed) writeReply(res, r, requestId);
    return entry;
  };
  const drop = () => {
    const entry = record(null);
    req.socket.destroy();
    return entry;
  };

  try {
    if (!def) {
      send(reply(404, errorBody(`no route for ${method} ${url.pathname}`)));
      return;
    }
    const ctx: HandlerContext = { core, req, params, query: url.searchParams, requestId };
    if (def.kind !== 'moov') {
      send(await runHandler(def, ctx));
      return;
    }

    const authResult = authenticate(authHeader, core.options.credentials, core.options.accessTokens);
    auth = authResult.kind;
    if (!authResult.ok) {
      send(reply(401, errorBody('missing or invalid credentials'), { 'www-authenticate': 'Basic realm="moov"' }));
      return;
    }
    if (moovVersion !== undefined && moovVersion !== 'latest' && !MOOV_VERSION_RE.test(moovVersion)) {
      send(reply(400, errorBody(`invalid X-Moov-Version "${moovVersion}"`)));
      return;
    }

    const bucket = core.options.rateLimitScope === 'partner' ? core.options.partnerAccountID : (accountID ?? core.options.partnerAccountID);
    const decision = core.limiter.take(bucket);
    if (!decision.allowed) {
      send(reply(429, errorBody('rate limit exceeded'), retryHeaders(def, decision.retryInMs)));
      return;
    }

    const latency = core.options.latencyMs;
    if (latency) await delay(latency[0] + Math.random() * (latency[1] - latency[0]), core.closing);

    const faulted: FaultMatch | undefined = core.faults.take(routeTemplate(def), accountID);
    if (faulted) {
      faultId = faulted.ruleId;
      faultLabel = faultKind(faulted.fault);
    }
    const fault: Fault = faulted?.fault ?? {};
    if (fault.latencyMs) await delay(fault.latencyMs, core.closing);
    if (core.closing.aborted) return drop();
    if (fault.reset) return drop();
    if (fault.status !== undefined) {
      const body = fault.body !== undefined ? fault.body : fault.status >= 400 ? errorBody('sandbox injected fault') : undefined;
      send(reply(fault.status, body, fault.headers));
      return;
    }

    if (fault.slowAnswerMs !== undefined) {
      // Moov has the whole request and acts on it when the delay is over, whether or not the
      // client is still waiting; until then a second attempt cannot see its effect.
      const held: HandlerContext = { ...ctx, req: await bufferRequest(req) };
      let slow: Reply | undefined;
      await core.held.hold(Promise.resolve(), fault.slowAnswerMs, async () => {
        slow = await runHandler(def, held);
      });
      if (!slow) return drop();
      send(withFaultHeaders(slow, fault));
      return;
    }
    if (fault.applyLate) {
      const { afterMs, answer } = fault.applyLate;
      const held: HandlerContext = { ...ctx, req: await bufferRequest(req) };
      let entry: RequestLogEntry | undefined;
      if (answer === 'reset') entry = drop();
      if (answer === 'status-504') entry = send(reply(504, errorBody('sandbox injected fault: gateway timeout; the write lands later')));
      // 'hang': no answer; the client's own timeout closes the connection, and that is logged.
      const gaveUp = answer === 'hang' ? closedByClient(req.socket).then(() => void (entry = record(null))) : Promise.resolve();
      void core.held.hold(gaveUp, afterMs, async () => {
        const landed = await runHandler(def, held).catch((err: unknown) => {
          core.logger.error({ err, requestId }, 'sandbox late write failed');
          return reply(500);
        });
        if (entry) Object.assign(entry, { landedAt: core.clock.iso(), landedStatus: landed.status });
      });
      return;
    }

    const result = await runHandler(def, ctx);
    if (fault.applyThenFail === 'reset') return drop();
    if (fault.applyThenFail === 'status-500') {
      send(reply(500, errorBody('sandbox injected fault after applying the request'), fault.headers));
      return;
    }
    send(withFaultHeaders(result, fault));
  } catch (err) {
    core.logger.error({ err, requestId, route: def ? routeTemplate(def) : null }, 'sandbox handler failed');
    if (!res.headersSent) send(reply(500, errorBody('internal sandbox error')));
    else res.destroy();
  }
}

async function runHandler(def: RouteDef, ctx: HandlerContext): Promise<Reply> {
  try {
    return await def.handler(ctx);
  } catch (err) {
    if (err instanceof HttpError) return reply(err.status, err.body);
    throw err;
  }
}

function withFaultHeaders(result: Reply, fault: Fault): Reply {
  return fault.headers ? { ...result, headers: { ...result.headers, ...fault.headers } } : result;
}

function retryHeaders(def: RouteDef, retryInMs: number): Record<string, string> {
  if (def.retryHint === 'x-retry-in') return { 'x-retry-in': String(retryInMs) };
  return { 'retry-after': String(Math.max(1, Math.ceil(retryInMs / 1000))) };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

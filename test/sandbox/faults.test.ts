import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SAMPLES, TestSandbox, useSandbox, uploadForm } from './support/helpers';

const CREATE = 'POST /accounts/:accountID/resolution-links';
const phoneBody = { recipient: { phone: { number: '5555555555', countryCode: '1' } } };

describe('sandbox: fault injection', () => {
  const ctx = useSandbox({ seedMerchant: true });
  const links = () => `/accounts/${ctx.merchant}/resolution-links`;

  it('consumes a sequence one fault per matching request, then lets requests through', async () => {
    const { id } = await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: 'GET /accounts/:accountID',
      sequence: [{ status: 503 }, {}, { status: 429, headers: { 'Retry-After': '7' }, body: { error: 'slow down' } }],
    });
    expect(id).toEqual(expect.any(String));
    const statuses: number[] = [];
    let third;
    for (let i = 0; i < 4; i++) {
      const res = await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
      statuses.push(res.status);
      if (i === 2) third = res;
    }
    expect(statuses).toEqual([503, 200, 429, 200]);
    expect(third!.headers.get('retry-after')).toBe('7');
    expect(third!.headers.get('x-request-id')).toBeTruthy();
    expect(third!.body).toEqual({ error: 'slow down' });
    const [rule] = await ctx.sb.admin('GET', '/_sandbox/faults');
    expect(rule).toMatchObject({ id, applied: 3, spent: true });
  });

  it('applies a probability-1 fault up to `times`, and the first unspent matching rule wins', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, probability: 1, fault: { status: 500 }, times: 2 });
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, fault: { status: 504 }, times: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ctx.sb.api('POST', links(), { body: phoneBody })).status);
    expect(statuses).toEqual([500, 500, 504, 200]);
    // The injected 500s did not touch state.
    expect((await ctx.sb.api('GET', links())).body).toHaveLength(1);
  });

  it('picks one fault of a `faults` mix at random each time the rule fires', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, faults: [{ status: 502 }, { status: 503 }], times: 40 });
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) statuses.add((await ctx.sb.api('POST', links(), { body: phoneBody })).status);
    // 40 fair draws from two faults: both show (the chance of only one is 2 in 2^40).
    expect([...statuses].sort()).toEqual([502, 503]);
    const [mix] = await ctx.sb.admin('GET', '/_sandbox/faults');
    expect(Object.keys(mix.appliedByKind).sort()).toEqual(['status-502', 'status-503']);
    expect(mix.appliedByKind['status-502'] + mix.appliedByKind['status-503']).toBe(40);
    const rejected = await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, fault: { status: 500 }, faults: [{ status: 502 }] }).catch((err: Error) => err);
    expect(String(rejected)).toMatch(/exactly one of sequence, fault or faults/);
  });

  it('never fires a probability-0 fault', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, probability: 0, fault: { status: 500 } });
    expect((await ctx.sb.api('POST', links(), { body: phoneBody })).status).toBe(200);
  });

  it('scopes a rule to one account ID when given', async () => {
    const other = await ctx.sb.seedMerchant();
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: 'GET /accounts/:accountID', accountID: other, fault: { status: 500 } });
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}`)).status).toBe(200);
    expect((await ctx.sb.api('GET', `/accounts/${other}`)).status).toBe(500);
  });

  it('matches every Moov route with "*"', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: '*', fault: { status: 502 }, times: 2 });
    expect((await ctx.sb.api('GET', links())).status).toBe(502);
    expect((await ctx.sb.api('GET', `/accounts/${ctx.merchant}/files`)).status).toBe(502);
    expect((await ctx.sb.api('GET', links())).status).toBe(200);
  });

  it('drops the connection without an answer on reset', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ reset: true }] });
    await expect(ctx.sb.api('POST', links(), { body: phoneBody })).rejects.toThrow(/fetch failed/);
    expect((await ctx.sb.api('GET', links())).body).toEqual([]);
    const [entry] = await ctx.sb.admin('GET', `/_sandbox/requests?route=${encodeURIComponent(CREATE)}`);
    expect(entry).toMatchObject({ status: null, faultId: expect.any(String) });
  });

  it('delays by latencyMs before handling', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: 'GET /accounts/:accountID', sequence: [{ latencyMs: 300 }] });
    const started = performance.now();
    const res = await ctx.sb.api('GET', `/accounts/${ctx.merchant}`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('applyThenFail status-500: the link exists although the caller saw 500', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ applyThenFail: 'status-500' }] });
    const res = await ctx.sb.api('POST', links(), { body: phoneBody });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const list = (await ctx.sb.api('GET', links())).body;
    expect(list).toHaveLength(1);
    expect(list[0].status).toBe('active');
    // The retry now meets the link it created: Moov's 409.
    expect((await ctx.sb.api('POST', links(), { body: phoneBody })).status).toBe(409);
  });

  it('applyThenFail reset: the upload is stored although the socket was dropped', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: 'POST /accounts/:accountID/files',
      sequence: [{ applyThenFail: 'reset' }],
    });
    const attempt = ctx.sb.api('POST', `/accounts/${ctx.merchant}/files`, { body: uploadForm({ name: 'id.pdf', bytes: SAMPLES.pdf }) });
    await expect(attempt).rejects.toThrow(/fetch failed/);
    const state = await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`);
    expect(state.files).toHaveLength(1);
    expect(state.files[0].fileName).toBe('id.pdf');
  });

  it('refuses rules for unknown routes or with contradictory fields', async () => {
    const typo = await ctx.sb.adminRaw('POST', '/_sandbox/faults', { route: 'POST /accounts/:id/resolution-link', fault: { status: 500 } });
    expect(typo.status).toBe(422);
    expect(typo.body.error).toMatch(/unknown route/);
    const both = await ctx.sb.adminRaw('POST', '/_sandbox/faults', { route: CREATE, fault: { status: 500, reset: true } });
    expect(both.status).toBe(422);
    const neither = await ctx.sb.adminRaw('POST', '/_sandbox/faults', { route: CREATE });
    expect(neither.status).toBe(422);
    expect(await ctx.sb.admin('GET', '/_sandbox/faults')).toEqual([]);
  });

  it('lists and deletes rules', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, fault: { status: 500 } });
    expect(await ctx.sb.admin('GET', '/_sandbox/faults')).toHaveLength(1);
    expect((await ctx.sb.adminRaw('DELETE', '/_sandbox/faults')).status).toBe(204);
    expect(await ctx.sb.admin('GET', '/_sandbox/faults')).toEqual([]);
    expect((await ctx.sb.api('POST', links(), { body: phoneBody })).status).toBe(200);
  });

  it('applies faults after auth: an unauthenticated call gets 401 and leaves the rule unspent', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ status: 500 }] });
    expect((await ctx.sb.api('POST', links(), { body: phoneBody, auth: null })).status).toBe(401);
    expect((await ctx.sb.api('POST', links(), { body: phoneBody })).status).toBe(500);
  });
});

describe('sandbox: configured latency', () => {
  it('adds latency within the configured range to Moov calls', async () => {
    const sb = await TestSandbox.start({ latencyMs: [150, 200] });
    try {
      const merchant = await sb.seedMerchant();
      const started = performance.now();
      expect((await sb.api('GET', `/accounts/${merchant}`)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      await sb.close();
    }
  });
});

describe('sandbox: slow answers, late writes and clock skew', () => {
  const ctx = useSandbox({ seedMerchant: true });
  const links = () => `/accounts/${ctx.merchant}/resolution-links`;
  const files = () => `/accounts/${ctx.merchant}/files`;
  const UPLOAD = 'POST /accounts/:accountID/files';
  const upload = (init: { signal?: AbortSignal } = {}) =>
    ctx.sb.api('POST', files(), { body: uploadForm({ name: 'id.pdf', bytes: SAMPLES.pdf }), ...init });
  const storedFiles = async () => (await ctx.sb.admin('GET', `/_sandbox/accounts/${ctx.merchant}/state`)).files;
  const heldUntilSettled = () => ctx.sb.admin('GET', '/_sandbox/held?wait=true');
  const onlyEntry = async (route: string) => {
    const entries = await ctx.sb.admin('GET', `/_sandbox/requests?route=${encodeURIComponent(route)}`);
    expect(entries).toHaveLength(1);
    return entries[0];
  };
  /** Until the sandbox holds `n` requests: it has read them, so what follows happens while they are in flight. */
  const untilHeld = async (n: number) => {
    for (let i = 0; i < 10_000; i++) if ((await ctx.sb.admin('GET', '/_sandbox/held')).held >= n) return;
    throw new Error(`the sandbox never held ${n} requests`);
  };

  it('slow answer: the effect lands when the late answer comes, so a reader in between sees nothing', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: UPLOAD, sequence: [{ slowAnswerMs: 400 }] });
    const started = performance.now();
    const slow = upload();
    await untilHeld(1);
    expect((await ctx.sb.api('GET', files())).body).toEqual([]);
    const res = await slow;
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(await storedFiles()).toHaveLength(1);
    expect(await onlyEntry(UPLOAD)).toMatchObject({ status: 200, faultKind: 'slow-answer' });
    expect(await onlyEntry(UPLOAD)).not.toHaveProperty('clientGone');
  });

  it('slow answer after the client gave up: Moov still stores the upload; the log says the answer was lost', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: UPLOAD, sequence: [{ slowAnswerMs: 500 }] });
    const { finished } = await ctx.sb.admin('GET', '/_sandbox/held');
    await expect(upload({ signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);
    expect(await storedFiles()).toEqual([]);
    expect(await heldUntilSettled()).toMatchObject({ held: 0, finished: finished + 1 });
    const stored = await storedFiles();
    expect(stored).toHaveLength(1);
    expect(stored[0].contentSHA256).toBe(createHash('sha256').update(SAMPLES.pdf).digest('hex'));
    expect(await onlyEntry(UPLOAD)).toMatchObject({ status: 200, clientGone: true, faultKind: 'slow-answer' });
  });

  it('apply late, reset: the connection drops at once and the link is created afterMs later', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ applyLate: { afterMs: 250, answer: 'reset' } }] });
    await expect(ctx.sb.api('POST', links(), { body: phoneBody })).rejects.toThrow(/fetch failed/);
    expect((await ctx.sb.api('GET', links())).body).toEqual([]);
    await heldUntilSettled();
    expect((await ctx.sb.api('GET', links())).body).toHaveLength(1);
    const entry = await onlyEntry(CREATE);
    expect(entry).toMatchObject({ status: null, faultKind: 'apply-late:reset', landedStatus: 200 });
    expect(Date.parse(entry.landedAt) - Date.parse(entry.at)).toBeGreaterThanOrEqual(250);
  });

  it('apply late, 504: a gateway timeout answers, then the upload lands with the bytes that were sent', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: UPLOAD, sequence: [{ applyLate: { afterMs: 100, answer: 'status-504' } }] });
    const res = await upload();
    expect(res.status).toBe(504);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await storedFiles()).toEqual([]);
    await heldUntilSettled();
    const [stored] = await storedFiles();
    expect(stored).toMatchObject({ fileName: 'id.pdf', contentSHA256: createHash('sha256').update(SAMPLES.pdf).digest('hex') });
    expect(await onlyEntry(UPLOAD)).toMatchObject({ status: 504, faultKind: 'apply-late:status-504', landedStatus: 200 });
  });

  it('apply late, hang: no answer until the client gives up; the write lands afterMs after that', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ applyLate: { afterMs: 300, answer: 'hang' } }] });
    await expect(ctx.sb.api('POST', links(), { body: phoneBody, signal: AbortSignal.timeout(200) })).rejects.toThrow(/abort|timeout/i);
    const gaveUpAt = Date.now();
    expect((await ctx.sb.api('GET', links())).body).toEqual([]);
    await heldUntilSettled();
    expect((await ctx.sb.api('GET', links())).body).toHaveLength(1);
    const entry = await onlyEntry(CREATE);
    expect(entry).toMatchObject({ status: null, clientGone: true, faultKind: 'apply-late:hang', landedStatus: 200 });
    // 300 ms after the client left, not after the request arrived (clock granularity aside).
    expect(Date.parse(entry.landedAt)).toBeGreaterThanOrEqual(gaveUpAt + 300 - 20);
  });

  it('a late write whose duplicate Moov refuses lands as that refusal', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ applyLate: { afterMs: 200, answer: 'reset' } }] });
    await expect(ctx.sb.api('POST', links(), { body: phoneBody })).rejects.toThrow(/fetch failed/);
    // The client's retry creates the link before the lost first attempt lands.
    expect((await ctx.sb.api('POST', links(), { body: phoneBody })).status).toBe(200);
    await heldUntilSettled();
    expect((await ctx.sb.api('GET', links())).body).toHaveLength(1);
    expect((await ctx.sb.admin('GET', `/_sandbox/requests?route=${encodeURIComponent(CREATE)}`))[0]).toMatchObject({ landedStatus: 409 });
  });

  it('a reset cancels held writes: they never land on the fresh state', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', { route: CREATE, sequence: [{ applyLate: { afterMs: 60_000, answer: 'reset' } }] });
    await expect(ctx.sb.api('POST', links(), { body: phoneBody })).rejects.toThrow(/fetch failed/);
    expect((await ctx.sb.admin('GET', '/_sandbox/held')).held).toBe(1);
    const before = (await ctx.sb.admin('GET', '/_sandbox/held')).cancelled;
    await ctx.sb.reset();
    expect(await heldUntilSettled()).toMatchObject({ held: 0, cancelled: before + 1 });
  });

  it('clock skew: offsetMs sets Moov clock minutes behind or ahead of real time, and the log marks skewed requests', async () => {
    const behind = await ctx.sb.admin('POST', '/_sandbox/clock', { offsetMs: -5 * 60_000 });
    expect(behind.offsetMs).toBe(-300_000);
    expect(Math.abs(Date.parse(behind.now) - (Date.now() - 300_000))).toBeLessThan(5_000);
    const created = (await ctx.sb.api('POST', links(), { body: phoneBody })).body;
    expect(Date.now() - Date.parse(created.createdOn)).toBeGreaterThanOrEqual(300_000 - 5_000);
    expect(await onlyEntry(CREATE)).toMatchObject({ clockOffsetMs: -300_000 });

    // An offset replaces the one before (advanceMs adds to it); ahead is as valid as behind.
    await ctx.sb.admin('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    expect((await ctx.sb.admin('POST', '/_sandbox/clock', { offsetMs: 4 * 60_000 })).offsetMs).toBe(240_000);
    await ctx.sb.admin('POST', '/_sandbox/clock', { offsetMs: 0 });
    await ctx.sb.api('GET', links());
    const [listed] = await ctx.sb.admin('GET', `/_sandbox/requests?route=${encodeURIComponent('GET /accounts/:accountID/resolution-links')}`);
    expect(listed).not.toHaveProperty('clockOffsetMs');
    for (const bad of [{ offsetMs: 1.5 }, { offsetMs: 0, advanceMs: 1 }, { offsetMs: 400 * 24 * 3_600_000 }]) {
      expect((await ctx.sb.adminRaw('POST', '/_sandbox/clock', bad)).status).toBe(422);
    }
  });

  it('counts the new kinds by kind and refuses a fault that sets two outcomes', async () => {
    await ctx.sb.admin('POST', '/_sandbox/faults', {
      route: CREATE,
      sequence: [{ slowAnswerMs: 1 }, { applyLate: { afterMs: 0, answer: 'status-504' } }],
    });
    await ctx.sb.api('POST', links(), { body: phoneBody });
    await ctx.sb.api('POST', links(), { body: phoneBody });
    await heldUntilSettled();
    const [rule] = await ctx.sb.admin('GET', '/_sandbox/faults');
    expect(rule.appliedByKind).toEqual({ 'slow-answer': 1, 'apply-late:status-504': 1 });
    for (const fault of [{ slowAnswerMs: 10, status: 500 }, { applyLate: { afterMs: 1, answer: 'reset' }, applyThenFail: 'reset' }, { applyLate: { afterMs: 1, answer: 'later' } }]) {
      const res = await ctx.sb.adminRaw('POST', '/_sandbox/faults', { route: CREATE, fault });
      expect(res.status).toBe(422);
    }
  });
});

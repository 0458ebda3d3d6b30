import os from 'node:os';
import { loadName, type ContentionRun } from './contention';
import type { FleetRun } from './fleet';
import type { ParkedRun } from './parked';
import { round } from './stats';
import type { SweepRun } from './sweep';

export interface Ceilings {
  /** The issue's ceiling: 40 requests/s ÷ the requests one account's work takes (fault-free run of the same system). */
  issue: number;
  /** The one that binds: with a partner-wide limit the issue's; with a per-account limit none (each merchant has its own 40/s). */
  binding?: number;
  nominalRequestsPerAccount: number;
}

export interface RatedSweep extends SweepRun {
  ceilings: Ceilings;
  /** goodput (accounts done and exactly right at Moov, per second) ÷ the ceiling (the chart's bar). */
  goodputRatio: number;
  /** accounts/s ÷ the binding ceiling, when one binds. */
  bindingRatio?: number;
  /** Moov requests/s ÷ 40. */
  requestRateRatio: number;
  /** The bar: ≥ 0.9 of the ceiling with ≤ 1 % of requests refused with 429. */
  meetsTarget: boolean;
}

export interface BenchResult {
  kind: 'bench';
  startedAt: string;
  wallSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  options: Record<string, unknown>;
  sandbox: { rateLimitRps: number; latencyMs: [number, number] };
  sweeps: RatedSweep[];
  parked?: ParkedRun;
  contention?: ContentionRun[];
  fleet?: FleetRun;
  notes: string[];
}

export function machineInfo(): BenchResult['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Ceilings and ratios: each run is measured against the fault-free run of the same system under the same limit. */
export function rate(sweeps: SweepRun[], sandboxRps: number): RatedSweep[] {
  return sweeps.map((run) => {
    const clean = sweeps.find((s) => s.system === run.system && s.variant === run.variant && s.limit === run.limit && !s.faults) ?? run;
    const nominal = round(clean.cleanRequestsPerAccount, 2);
    const issue = sandboxRps / nominal;
    const binding = run.limit === 'partner' ? issue : undefined;
    const goodputRatio = run.goodputPerS / issue;
    return {
      ...run,
      ceilings: { issue: round(issue, 2), ...(binding !== undefined && { binding: round(binding, 2) }), nominalRequestsPerAccount: nominal },
      goodputRatio: round(goodputRatio, 3),
      ...(binding !== undefined && { bindingRatio: round(run.goodputPerS / binding, 3) }),
      requestRateRatio: round(run.requests.perSecond / sandboxRps, 3),
      meetsTarget: goodputRatio >= 0.9 && run.share429 <= 0.01,
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1)} %`;
const num = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const SYSTEM = { temporal: 'Temporal worker', 'plain-sdk': 'plain @moovio/sdk' } as const;

export function scenarioName(run: Pick<SweepRun, 'limit' | 'faults'>): string {
  return `${run.limit === 'partner' ? 'partner-wide 40/s' : 'per-account 40/s'}${run.faults ? ', faults' : ''}`;
}

/** The side-by-side table (markdown; also readable in a terminal). */
export function sweepTable(runs: RatedSweep[]): string {
  const header = [
    'limit, faults',
    'system',
    'done',
    'done/s',
    'goodput (acc/s)',
    'Moov req/s',
    'req/account',
    'ceiling (acc/s)',
    'goodput / ceiling',
    'binding ceiling',
    '429 share',
    'peak in 1 s: account / all',
    'p50 / p95 / p99 (s)',
    'dup / missing',
    'CPU-ms/remediation',
    'history events',
  ];
  const rows = runs.map((r) => [
    scenarioName(r),
    r.variant === 'default' ? SYSTEM[r.system] : `${SYSTEM[r.system]}, ${r.variant}`,
    `${r.completed}/${r.accounts}`,
    num(r.accountsPerS),
    num(r.goodputPerS),
    num(r.requests.perSecond, 1),
    num(r.requestsPerAccount),
    num(r.ceilings.issue),
    `**${num(r.goodputRatio)}**`,
    r.ceilings.binding !== undefined ? `${num(r.ceilings.binding)} → ${num(r.bindingRatio)}` : 'none',
    pct(r.share429),
    `${r.requests.peakAccountSliding} / ${r.requests.peakPartnerSliding}`,
    `${num(r.latencyS.p50, 1)} / ${num(r.latencyS.p95, 1)} / ${num(r.latencyS.p99, 1)}`,
    `${r.audit.duplicates} / ${r.audit.missing}`,
    `${num(r.cpuMsPerRemediation.client, 0)}${r.cpuMsPerRemediation.temporalServer !== undefined && r.system === 'temporal' ? ` (+${num(r.cpuMsPerRemediation.temporalServer, 0)} server)` : ''}`,
    r.historyEvents ? num(r.historyEvents.mean, 1) : '–',
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function parkedTable(p: ParkedRun): string {
  const rows: [string, string][] = [
    ['remediations parked', `${p.parkedBeforeExpiry} of ${p.requested} (asked)`],
    ['start rate (client API)', `${p.startsPerSecond}/s (${p.startSeconds} s for all)`],
    ['first start → all waiting', `${num(p.parkSeconds, 1)} s`],
    ['worker RSS before / while waiting', `${p.waiting.workerRssBeforeStartMiB} MiB / ${p.waiting.workerRssMiB} MiB (${p.waiting.workerKiBPerParkedRemediation} KiB per remediation)`],
    ['worker CPU while waiting', `${num(p.waiting.workerCpuCores * 100, 1)} % of a core over ${p.waiting.windowSeconds} s`],
    ['Temporal server CPU while waiting', p.waiting.temporalServerCpuCores !== undefined ? `${num(p.waiting.temporalServerCpuCores * 100, 1)} % of a core` : '–'],
    ['links expire → first / all resumed and done', `${p.resume.firstDoneSeconds} s / ${p.resume.allDoneSeconds} s (p50 ${p.resume.doneAfterExpiryS.p50} s, p95 ${p.resume.doneAfterExpiryS.p95} s)`],
    ['completed / failed / still waiting at the deadline', `${p.resume.completed} / ${p.resume.failed} / ${p.resume.stillRunning}`],
    [
      'workflow task timeouts (sampled histories)',
      `${p.workflowTaskTimeouts.timeouts} in ${p.workflowTaskTimeouts.workflowsAffected} of ${p.workflowTaskTimeouts.sampled}` +
        (p.workflowTaskTimeouts.timeouts ? ` (${Object.entries(p.workflowTaskTimeouts.byType ?? {}).map(([k, n]) => `${n} ${k.replace('TIMEOUT_TYPE_', '').toLowerCase()}`).join(', ')})` : ''),
    ],
    ['worker CPU while resuming', `${num(p.resume.workerCpuCores * 100, 0)} % of a core`],
    ['worker peak RSS', `${p.workerPeakRssMiB} MiB`],
    ['worker CPU-ms per parked remediation (all of it)', `${p.workerCpuMsPerRemediation}`],
    ['history events per remediation', `${p.historyEvents.mean}`],
    ['sticky cache (maxCachedWorkflows) / the SDK\'s default for this heap', `${p.maxCachedWorkflows ?? '–'} / ${p.estimatedMaxCachedWorkflows}`],
    ['pacing bound: resume requests ÷ partner cap', `${p.resumeRequests} ÷ ${p.partnerRateLimit}/s = ${p.pacingBoundS} s; all done in **${num(p.resumeRatio)}×** the bound`],
  ];
  return ['| parked workflows | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

export function contentionTable(runs: ContentionRun[]): string {
  const rows = runs.map((r) => [
    loadName(r.load),
    `${num(r.aloneS.p50)} / ${num(r.aloneS.p99)}`,
    `${num(r.besideS.p50)} / ${num(r.besideS.p99)}`,
    `**${num(r.p99Ratio)}×**`,
    `${r.probes}`,
    `${r.loadCompleted}/${r.loadStarted} in ${num(r.loadMakespanS, 1)} s`,
  ]);
  const header = ['heavy load', 'new merchant alone p50 / p99 (s)', 'beside the load p50 / p99 (s)', 'p99 beside ÷ alone', 'new merchants beside', 'the load itself'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function fleetTable(f: FleetRun): string {
  const rows: [string, string][] = [
    ['accounts (each with a requirement error)', `${f.accounts}`],
    ['sweep: scanned / started', `${f.summary.scanned} / ${f.summary.started}`],
    ['remediations completed / accounts wrong at Moov', `${f.completed} / ${f.wrong}`],
    ['trigger → last remediation closed', `${f.wallSeconds} s (${f.accountsPerSecond} accounts/s)`],
    ['Moov requests', `${f.moovRequests} (${f.moovRequestsPerSecond}/s; peak ${f.peakAccountSliding} per account in any 1 s)`],
    ['sweep runs (continue-as-new) and their history events', `${f.sweepRuns} runs, mean ${f.sweepHistoryEvents.mean}, max ${f.sweepHistoryEvents.max}`],
    ['history events per remediation', `mean ${f.remediationHistoryEvents.mean}, max ${f.remediationHistoryEvents.max}`],
    ['worker CPU-ms per account', `${f.workerCpuMsPerAccount}`],
  ];
  return ['| fleet sweep (Schedule) | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** The issue's figures against their bars, from this run. */
export function barsTable(result: BenchResult): string {
  const find = (system: SweepRun['system'], limit: SweepRun['limit'], faults: boolean) =>
    result.sweeps.find((r) => r.system === system && r.limit === limit && r.faults === faults && r.variant === 'default');
  const vsPlain = (limit: SweepRun['limit'], faults: boolean) => {
    const ours = find('temporal', limit, faults);
    const plain = find('plain-sdk', limit, faults);
    return ours && plain ? { ours, plain, ratio: ours.goodputPerS / plain.goodputPerS } : undefined;
  };
  const rows: [string, string, string][] = [];
  const withFaults = vsPlain('account', true);
  if (withFaults) {
    rows.push(['goodput, per-account limit, with faults', '≥ 1.0× the script\'s, 0 duplicates', `${num(withFaults.ratio)}× (${num(withFaults.ours.goodputPerS)} vs ${num(withFaults.plain.goodputPerS)} accounts/s), ${withFaults.ours.audit.duplicates} duplicates (script: ${withFaults.plain.audit.duplicates})`]);
  }
  const clean = vsPlain('account', false);
  if (clean) rows.push(['goodput, per-account limit, no faults', '≥ 0.5× the script\'s', `${num(clean.ratio)}× (${num(clean.ours.goodputPerS)} vs ${num(clean.plain.goodputPerS)} accounts/s)`]);
  for (const faults of [false, true]) {
    const ours = find('temporal', 'partner', faults);
    if (ours) rows.push([`partner cap 40/s, ${faults ? 'with' : 'no'} faults`, `goodput ≥ ${faults ? '0.85' : '0.95'} of the ceiling`, `${num(ours.bindingRatio)} (${num(ours.goodputPerS)} of ${num(ours.ceilings.binding)} accounts/s)`]);
  }
  const ours = result.sweeps.filter((r) => r.system === 'temporal');
  if (ours.length > 0) {
    const requests = ours.reduce((a, r) => a + r.requests.total, 0);
    const limited = ours.reduce((a, r) => a + r.requests.rateLimited429, 0);
    const peakAccount = Math.max(...ours.map((r) => r.requests.peakAccountSliding));
    const peakPartner = Math.max(...ours.filter((r) => r.limit === 'partner').map((r) => r.requests.peakPartnerSliding), 0);
    rows.push(['limiter 429s; peak in any 1 s', '≤ 0.5 % of requests; ≤ 40 per account and per partner', `${pct(requests ? limited / requests : 0)} (${limited} of ${requests}); peak ${peakAccount} per account, ${peakPartner} per partner (capped runs)`]);
  }
  for (const c of result.contention ?? []) rows.push([`new merchant beside ${loadName(c.load)}`, 'p99 ≤ 1.5× alone', `${num(c.p99Ratio)}× (${num(c.besideS.p99)} s vs ${num(c.aloneS.p99)} s)`]);
  if (result.parked) {
    const p = result.parked;
    rows.push([`${p.requested} parked`, 'worker RSS < 500 MB, resume ≤ 1.1× the bound', `${num(p.waiting.workerRssMiB * 1.048576, 0)} MB while waiting (peak ${num(p.workerPeakRssMiB * 1.048576, 0)} MB); resumed in ${num(p.resumeRatio)}× the bound (${p.resume.allDoneSeconds} s vs ${p.pacingBoundS} s)`]);
  }
  if (result.fleet) {
    const f = result.fleet;
    rows.push([`a sweep of ${f.accounts} accounts`, 'completes, with its Moov requests/s and history events per run', `${f.completed} completed, ${f.wrong} wrong, in ${f.wallSeconds} s; ${f.moovRequestsPerSecond} requests/s; history events per sweep run mean ${f.sweepHistoryEvents.mean} (max ${f.sweepHistoryEvents.max}), per remediation ${f.remediationHistoryEvents.mean}`]);
  }
  return ['| figure | bar | this run |', '|---|---|---|', ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');
}

export function markdownReport(result: BenchResult): string {
  const m = result.machine;
  return [
    `Run ${result.startedAt}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; wall time ${Math.round(result.wallSeconds)} s; options ${JSON.stringify(result.options)}`,
    '',
    barsTable(result),
    '',
    sweepTable(result.sweeps),
    '',
    ...(result.contention ? [contentionTable(result.contention), ''] : []),
    ...(result.parked ? [parkedTable(result.parked), ''] : []),
    ...(result.fleet ? [fleetTable(result.fleet), ''] : []),
    ...result.notes.map((n) => `- ${n}`),
  ].join('\n');
}

import os from 'node:os';
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

export function markdownReport(result: BenchResult): string {
  const m = result.machine;
  return [
    `Run ${result.startedAt}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; wall time ${Math.round(result.wallSeconds)} s; options ${JSON.stringify(result.options)}`,
    '',
    sweepTable(result.sweeps),
    '',
    ...(result.parked ? [parkedTable(result.parked), ''] : []),
    ...result.notes.map((n) => `- ${n}`),
  ].join('\n');
}

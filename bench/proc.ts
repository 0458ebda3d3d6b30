import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Linux /proc readings of another process: CPU time (user + system, all threads) and resident memory. */
export interface ProcSample {
  /** When the sample was taken (Date.now()). */
  at: number;
  cpuMs: number;
  rssBytes: number;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15), in ms; the comm field may hold spaces, so parse after ')'. */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicks();
}

function statusField(pid: number, name: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function readProc(pid: number): ProcSample {
  return { at: Date.now(), cpuMs: readCpuMs(pid), rssBytes: statusField(pid, 'VmRSS') };
}

/** Peak resident memory since the process started (VmHWM). */
export function readPeakRss(pid: number): number {
  return statusField(pid, 'VmHWM');
}

/** Children of `parent` whose command line contains `needle` (e.g. the Temporal dev server the SDK spawned). */
export function findChildPids(parent: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Samples a process every `intervalMs` until stopped; keeps every sample for the result file. */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 1000,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): ProcSample | undefined {
    try {
      const s = readProc(this.pid);
      this.samples.push(s);
      return s;
    } catch {
      return undefined;
    }
  }

  stop(): ProcSample[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return this.samples;
  }

  /** Samples within [from, to]. */
  between(from: number, to: number): ProcSample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }
}

/** CPU used between two samples as a share of one core (1.0 = one core busy). */
export function coreShare(a: ProcSample, b: ProcSample): number {
  return b.at > a.at ? (b.cpuMs - a.cpuMs) / (b.at - a.at) : 0;
}

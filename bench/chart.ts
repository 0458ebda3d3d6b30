import { readFile, writeFile } from 'node:fs/promises';
import type { BenchResult, RatedSweep } from './report';
import { scenarioName } from './report';

/**
 * A small hand-rolled SVG bar chart: goodput ÷ ceiling (the issue's ceiling, 40 requests/s ÷
 * requests per account) for our worker and the plain script, per scenario, with the 0.9 target
 * and the ceiling drawn across. The 429 share is written under each bar.
 *
 *   npx tsx bench/chart.ts bench/results/bench-<timestamp>.json docs/img/benchmarks.svg
 */
const COLORS = { temporal: '#4a5fd9', 'plain-sdk': '#e08a2e' } as const;
const LABELS = { temporal: 'Temporal worker', 'plain-sdk': 'plain @moovio/sdk' } as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function goodputChart(result: Pick<BenchResult, 'sweeps' | 'machine' | 'startedAt'>): string {
  const sweeps = result.sweeps.filter((r) => r.variant === 'default');
  const scenarios: string[] = [];
  for (const run of sweeps) if (!scenarios.includes(scenarioName(run))) scenarios.push(scenarioName(run));
  const systems = ['temporal', 'plain-sdk'] as const;
  const width = 200 + scenarios.length * 170;
  const height = 420;
  const left = 70;
  const top = 60;
  const plotH = 260;
  const maxRatio = Math.max(1.2, ...sweeps.map((r) => r.goodputRatio));
  const yMax = Math.ceil(maxRatio * 2) / 2;
  const y = (v: number) => top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const groupW = 170;
  const barW = 52;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="${left}" y="24" font-size="15" font-weight="bold">Goodput ÷ ceiling (40 req/s ÷ requests per account), ${sweeps[0]?.accounts ?? ''} accounts</text>`);
  parts.push(`<text x="${left}" y="42" fill="#555">${esc(`${result.machine.cpus} cores, ${result.machine.memoryGiB} GiB, ${result.startedAt.slice(0, 10)}; number under a bar: share of requests refused with 429`)}</text>`);
  // Axis and grid.
  for (let v = 0; v <= yMax + 1e-9; v += yMax > 2 ? 0.5 : 0.25) {
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(2)}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>`);
  parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(1)}" y2="${y(1)}" stroke="#333" stroke-dasharray="6 3"/>`);
  parts.push(`<text x="${width - 22}" y="${y(1) - 4}" text-anchor="end" fill="#333">ceiling</text>`);
  parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y(0.9)}" y2="${y(0.9)}" stroke="#2a9d4b" stroke-dasharray="3 3"/>`);
  parts.push(`<text x="${width - 22}" y="${y(0.9) + 14}" text-anchor="end" fill="#2a9d4b">target 0.9</text>`);
  scenarios.forEach((scenario, g) => {
    const x0 = left + 20 + g * groupW;
    systems.forEach((system, i) => {
      const run = sweeps.find((r: RatedSweep) => r.system === system && scenarioName(r) === scenario);
      if (!run) return;
      const x = x0 + i * (barW + 8);
      const v = run.goodputRatio;
      parts.push(`<rect x="${x}" y="${y(v)}" width="${barW}" height="${top + plotH - y(v)}" fill="${COLORS[system]}"/>`);
      parts.push(`<text x="${x + barW / 2}" y="${y(v) - 5}" text-anchor="middle" font-weight="bold">${v.toFixed(2)}${v > yMax ? '↑' : ''}</text>`);
      parts.push(`<text x="${x + barW / 2}" y="${top + plotH + 16}" text-anchor="middle" fill="#555">${(run.share429 * 100).toFixed(1)} %</text>`);
    });
    parts.push(`<text x="${x0 + barW + 4}" y="${top + plotH + 36}" text-anchor="middle">${esc(scenario)}</text>`);
  });
  systems.forEach((system, i) => {
    const lx = left + i * 170;
    parts.push(`<rect x="${lx}" y="${height - 34}" width="14" height="14" fill="${COLORS[system]}"/>`);
    parts.push(`<text x="${lx + 20}" y="${height - 22}">${LABELS[system]}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: tsx bench/chart.ts <bench-result.json> <out.svg>');
  const result = JSON.parse(await readFile(input, 'utf8')) as BenchResult;
  await writeFile(output, goodputChart(result));
  console.log(`wrote ${output}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  });
}

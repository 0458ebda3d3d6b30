import { readFile, writeFile } from 'node:fs/promises';
// vega-lite 6 declares its types only in package.json "exports", which this repo's moduleResolution
// "node" does not read: the types come from their file, the code from 'vega-lite' (VEGA_LITE below).
import type * as VegaLite from 'vega-lite/build/index';
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { BenchResult } from './report';
import { scenarioName } from './report';

/**
 * The bench result as an SVG bar chart: goodput ÷ ceiling (the ceiling: 40 requests/s ÷
 * requests per account) for our worker and the plain script, per scenario, with the 0.9 target
 * and the ceiling drawn across and the 429 share under each bar's value. Vega-Lite lays it out
 * (a declarative spec, rendered headless by Vega), so this file only maps the result to data.
 *
 *   npx tsx bench/chart.ts bench/results/bench-<timestamp>.json docs/img/benchmarks.svg
 */
const SYSTEMS = { temporal: 'Temporal worker', 'plain-sdk': 'plain @moovio/sdk' } as const;
const COLORS = ['#4a5fd9', '#e08a2e'];
const TARGET = '#2a9d4b';
const VEGA_LITE: string = 'vega-lite';

/** A dashed line across the plot at y, labelled in the right margin (above or below the line). */
const rule = (y: number, label: string, color: string, baseline: 'bottom' | 'top') => ({
  data: { values: [{ y, label }] },
  encoding: { y: { field: 'y', type: 'quantitative' as const } },
  layer: [
    { mark: { type: 'rule' as const, color, strokeDash: [6, 3] } },
    { mark: { type: 'text' as const, color, align: 'left' as const, baseline, dx: 4 }, encoding: { x: { value: 'width' as const }, text: { field: 'label' } } },
  ],
});

/** A line of text over each bar, drawn twice: a white halo first keeps the rules from crossing it. */
const label = (field: string, dy: number, style: { fontSize?: number; fontWeight?: 'bold'; color: string }) =>
  [{ stroke: 'white', strokeWidth: 5 }, {}].map((halo) => ({
    mark: { type: 'text' as const, baseline: 'bottom' as const, dy, ...style, ...halo },
    encoding: { text: { field } },
  }));

export async function goodputChart(result: Pick<BenchResult, 'sweeps' | 'machine' | 'startedAt'>): Promise<string> {
  // Results written before variants existed have none; those runs are the default variant.
  const runs = result.sweeps.filter((r) => (r.variant ?? 'default') === 'default');
  const values = runs.map((r) => ({
    scenario: scenarioName(r),
    system: SYSTEMS[r.system],
    ratio: r.goodputRatio,
    value: r.goodputRatio.toFixed(2),
    share429: `429: ${(r.share429 * 100).toFixed(1)} %`,
  }));
  const scenarios = [...new Set(values.map((v) => v.scenario))];
  const yMax = Math.max(1.2, ...values.map((v) => v.ratio * 1.15)); // room for the two label lines
  const domain = [0, yMax];
  const bars = {
    data: { values },
    encoding: {
      x: { field: 'scenario', type: 'nominal', sort: scenarios, title: null, axis: { labelAngle: 0, labelFontSize: 12, labelLimit: 0 } },
      xOffset: { field: 'system', type: 'nominal', sort: Object.values(SYSTEMS) },
      y: { field: 'ratio', type: 'quantitative', title: 'goodput ÷ ceiling', scale: { domain } },
    },
  } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Goodput ÷ ceiling (40 req/s ÷ requests per account), ${runs[0]?.accounts ?? ''} accounts`,
      subtitle: `${result.machine.cpus} cores, ${result.machine.memoryGiB} GiB memory, ${result.startedAt.slice(0, 10)}; second line over a bar: share of requests refused with 429`,
      anchor: 'start',
    },
    background: 'white',
    width: Math.max(1, scenarios.length) * 190,
    height: 320,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
    // Back to front: bars, the two rules, the labels over the bars.
    layer: [
      {
        ...bars,
        mark: 'bar',
        encoding: {
          ...bars.encoding,
          color: { field: 'system', type: 'nominal', title: null, scale: { domain: Object.values(SYSTEMS), range: COLORS }, legend: { orient: 'bottom' } },
        },
      },
      rule(1, 'ceiling', '#333', 'bottom'),
      rule(0.9, 'target 0.9', TARGET, 'top'),
      { ...bars, layer: [...label('value', -16, { fontWeight: 'bold', color: '#222' }), ...label('share429', -3, { fontSize: 10, color: '#555' })] },
    ],
  };
  const [vega, { compile }] = await Promise.all([import('vega'), import(VEGA_LITE) as Promise<typeof VegaLite>]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: tsx bench/chart.ts <bench-result.json> <out.svg>');
  const result = JSON.parse(await readFile(input, 'utf8')) as BenchResult;
  await writeFile(output, await goodputChart(result));
  console.log(`wrote ${output}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  });
}

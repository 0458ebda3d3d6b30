import path from 'node:path';
import { buildWorkflowBundle, bundleVariants } from './workflow-code';

/**
 * `npm run build:bundle`, after `npm run build`: `node dist/build-workflow-bundle.js [--out FILE]`
 * writes dist/workflow-bundle.js (and its manifest) from the compiled dist/workflows. It runs
 * compiled, with production dependencies only, so the Docker build needs no TypeScript tooling
 * for it; bundling compiled JavaScript also needs no native SWC binary.
 */
async function main(argv: string[]): Promise<void> {
  // From src/ (tsx) the default bundle would land in src/ and be built from TypeScript.
  if (__filename.endsWith('.ts')) throw new Error('run it compiled: npm run build && npm run build:bundle');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  if (outIndex >= 0 && !out) throw new Error('--out needs a file name');
  const variants = bundleVariants();
  for (const variant of out ? [{ ...variants[0]!, outFile: out }] : variants) {
    const started = Date.now();
    const built = await buildWorkflowBundle(variant);
    console.log(
      `wrote ${path.relative(process.cwd(), built.codePath)} (${Math.round(built.bytes / 1024)} KiB, @temporalio/worker ${built.manifest.temporalWorkerVersion}) in ${Date.now() - started} ms`,
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`build:bundle failed: ${(err as Error).message}`);
  process.exit(1);
});

// @ts-check
const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that take longest on 2 cores (a fresh clone's `npm test` on 2026-12-03, each over
 * 50 s), slowest first. Jest orders suites by the durations it cached on earlier runs, and with
 * no cache (a fresh clone, as CI runs) by file size (jestjs.io/docs/configuration#testsequencer-string):
 * the chaos run, a small file, then started last and ran alone for its 3 minutes while the other
 * worker sat idle. Starting these first keeps both workers busy to the end. Only an order: a
 * missing or renamed path here changes nothing else.
 */
const SLOWEST_FIRST = [
  'test/chaos/chaos.test.ts',
  'test/e2e/cli.test.ts',
  'test/reliability/worker-killed-mid-upload.test.ts',
  'test/outage/fleet-outage.test.ts',
  'test/replay/replay.test.ts',
  'test/workflows/slow-upload.test.ts',
  'test/reliability/terminated-mid-upload.test.ts',
  'test/scale/per-account-pacing.test.ts',
  'test/workflows/right-outcome.test.ts',
  'test/scale/two-workers.test.ts',
];

/** Jest's own order (failed first, then cached durations, then file size), with the known slowest suites moved ahead. */
class SlowSuitesFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const ordered = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    const rank = (/** @type {import('@jest/test-result').Test} */ test) => {
      const index = SLOWEST_FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    return ordered.map((test, position) => ({ test, position })).sort((a, b) => rank(a.test) - rank(b.test) || a.position - b.position).map(({ test }) => test);
  }
}

module.exports = SlowSuitesFirst;

/**
 * Two tiers (docs/testing.md). `unit` needs no server of any kind: it has no global
 * setup, and its suites stub our own Moov client. `integration` is everything else under test/,
 * after the global setup has found or installed the Temporal servers. A project's global setup
 * runs only when one of its suites is selected (jestjs.io/docs/configuration#globalsetup-string),
 * so `npm run test:unit` and `npx jest test/unit/…` never touch a Temporal server, while
 * `npm test` runs both projects.
 */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Suites start real servers; two cores do not gain from more parallelism.
  maxWorkers: 2,
  // A global option: Jest ignores it inside a project (jestjs.io/docs/configuration#testtimeout-number).
  testTimeout: 60_000,
  // Global too: a fresh clone has no cached durations, so the slowest suites start first (see the file).
  testSequencer: '<rootDir>/test/support/slow-suites-first.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit'],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
      // Temporal servers are downloaded/installed once before any suite runs.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};

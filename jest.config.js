/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { "^.+\\.ts$": "ts-jest" },
  // Temporal servers are downloaded/installed once before any suite runs.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
  testTimeout: 60_000,
  // Suites start real servers; two cores do not gain from more parallelism.
  maxWorkers: 2,
};

import js from '@eslint/js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import noImportCycles from './eslint-rules/no-import-cycles.mjs';

/**
 * Layer boundaries (docs/CONTRACTS.md, "Boundaries"). Each row says which of src/'s top-level
 * modules (folders, and the entry-point files beside them) a module may import besides its own
 * files; importing any other one is an error, type-only imports included. The list of modules is
 * read from src/, so a new folder is off limits to every existing row until a row names it (and
 * is itself unchecked until it has a row of its own).
 */
const MAY_IMPORT = {
  // The workflow bundle: what runs, and re-runs on every replay, inside the workflow sandbox.
  domain: [],
  workflows: ['domain'],
  // Below the activities: the wire layer, and the other side of the wire.
  moov: ['domain'],
  sandbox: [],
  net: [],
  codec: ['domain'],
  activities: ['domain', 'moov'],
  config: ['activities', 'codec', 'domain', 'moov'],
  observability: ['config', 'domain', 'moov'],
  'temporal-servers': ['domain', 'net'],
  'workflow-code': [],
  'build-workflow-bundle': ['workflow-code'],
  'bundle-at-start': ['workflow-code'],
  // Entry points, each above everything it composes.
  'remediation-list': ['domain'],
  client: ['codec', 'config', 'domain', 'remediation-list', 'workflows'],
  'sweep-client': ['client', 'config', 'domain', 'workflows'],
  worker: ['activities', 'codec', 'config', 'domain', 'moov', 'observability', 'workflow-code', 'workflows'],
  cli: ['client', 'config', 'domain', 'moov', 'sweep-client'],
  embedded: ['cli', 'client', 'codec', 'config', 'domain', 'moov', 'net', 'observability', 'sandbox', 'sweep-client', 'temporal-servers', 'webhooks', 'worker'],
  start: ['embedded', 'worker'],
  // The Moov webhook receiver: connects as the CLI does, signals or starts workflows by their definitions.
  webhooks: ['config', 'domain', 'observability', 'sweep-client', 'workflows'],
};

const SRC = readdirSync(path.join(import.meta.dirname, 'src'), { withFileTypes: true });
const SRC_MODULES = [...new Set(SRC.map((entry) => entry.name.replace(/\.ts$/, '')))];

/**
 * Relative imports that reach a top-level module of src/ other than `module` and its `allowed`
 * ones. `up` is how an import leaves the importing file's folder: './' from a file directly in
 * src/, one or more '../' from a file inside a module's folder.
 */
function projectModulePattern(module, up) {
  const allowed = MAY_IMPORT[module];
  const forbidden = SRC_MODULES.filter((m) => m !== module && !allowed.includes(m));
  return {
    regex: `^${up}(${forbidden.join('|')})(/|$)`,
    message: `Of the project, src/${module} may import only its own files${allowed.length ? ` and ${allowed.map((m) => `src/${m}`).join(', ')}` : ''} (docs/CONTRACTS.md, Boundaries).`,
  };
}

const WORKFLOW_SANDBOX =
  'Workflow code runs, and is replayed, inside Temporal’s deterministic sandbox (docs.temporal.io/develop/typescript/core-application)';
/** Any package but the listed ones: Node built-ins (fs, node:*), undici, @temporalio/worker|client|activity, … */
const onlyPackages = (module, packages) => ({
  regex: `^(?![./])(?!(${packages.join('|')})(/|$))`,
  message: `${WORKFLOW_SANDBOX}: src/${module} may import only the packages ${packages.join(', ')}.`,
});
const NON_WORKFLOW_INTERNALS = {
  regex: '^@temporalio/common/lib/internal-non-workflow',
  message: `${WORKFLOW_SANDBOX}: not the SDK's non-workflow internals.`,
};
const NO_TEMPORAL = (module, why) => ({ regex: '^@temporalio/', message: `src/${module} imports nothing of Temporal: ${why} (docs/CONTRACTS.md).` });

/** Extra package rules per module, on top of its row in MAY_IMPORT. */
const PACKAGE_RULES = {
  domain: [onlyPackages('domain', ['zod', '@temporalio/common']), NON_WORKFLOW_INTERNALS],
  workflows: [onlyPackages('workflows', ['@temporalio/workflow', '@temporalio/common', 'zod']), NON_WORKFLOW_INTERNALS],
  moov: [NO_TEMPORAL('moov', 'the wire layer makes one HTTP attempt and leaves retries to the activities')],
  sandbox: [NO_TEMPORAL('sandbox', 'it is the other side of the wire, a stand-in for Moov')],
  activities: [{ regex: '^@temporalio/workflow(/|$)', message: 'src/activities run outside the workflow sandbox, where @temporalio/workflow does not work.' }],
};

function restrictedImports(module, up, extraPatterns = []) {
  return ['error', { patterns: [projectModulePattern(module, up), ...(PACKAGE_RULES[module] ?? []), ...extraPatterns] }];
}

/** How deep files sit below a module's folder (src/sandbox/webhooks/x.ts is 2); a deeper one needs a larger number here. */
const FOLDER_DEPTHS = [1, 2, 3, 4];

/** One block per module folder and per entry-point file (src/cli is both), so no file is matched twice. */
const boundaryBlocks = Object.keys(MAY_IMPORT).flatMap((module) => [
  // One block per folder depth: '../webhooks' from src/sandbox/routes/ is the sandbox's own folder, from src/sandbox/ it is src/webhooks.
  ...(SRC.some((e) => e.isDirectory() && e.name === module)
    ? FOLDER_DEPTHS.map((depth) => ({
        files: [`src/${module}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: { 'no-restricted-imports': restrictedImports(module, `(\\.\\./){${depth}}`) },
      }))
    : []),
  ...(SRC.some((e) => e.isFile() && e.name === `${module}.ts`)
    ? [{ files: [`src/${module}.ts`], rules: { 'no-restricted-imports': restrictedImports(module, '\\./') } }]
    : []),
]);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.temporal/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // CommonJS that Node and Jest load as it is (jest.config.js, its test sequencer): require() is how it imports.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaryBlocks,
  {
    // Loaded into the workflow sandbox too when payloads are encrypted (src/workflow-code.ts bundleVariants).
    files: ['src/codec/failure-converter.ts'],
    rules: { 'no-restricted-imports': restrictedImports('codec', '(\\.\\./)+', [onlyPackages('codec/failure-converter.ts', ['@temporalio/common']), NON_WORKFLOW_INTERNALS]) },
  },
  {
    // require() is refused by typescript-eslint's recommended rules; a dynamic import() would bypass the rules above.
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: `${WORKFLOW_SANDBOX}: no dynamic import().` }] },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycles': noImportCycles } } },
    rules: { 'local/no-import-cycles': 'error' },
  },
);

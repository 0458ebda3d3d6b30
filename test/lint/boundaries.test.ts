import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layer boundaries of docs/CONTRACTS.md ("Boundaries") fail `npm run lint`: each planted
 * import below, linted as if it were the named file, must be reported by the rule that enforces
 * it, and the clean imports must pass. ESLint runs once, in a child process
 * (support/lint-snippets.mjs), on text only: no file is written and no server is started.
 */

interface LintMessage {
  ruleId: string | null;
  message: string;
  severity: number;
}

type Case = [filePath: string, code: string, rule?: string];

const RESTRICTED = 'no-restricted-imports';
const CYCLE = 'local/no-import-cycles';

// [file the snippet pretends to be, the snippet, the rule that must report it]
const VIOLATIONS: Case[] = [
  // The workflow bundle: src/workflows imports only itself, src/domain and three packages.
  ['src/workflows/planted.ts', "import { readFile } from 'node:fs';\nexport const x = readFile;\n"],
  ['src/workflows/planted.ts', "import fs from 'fs';\nexport const x = fs;\n"],
  ['src/workflows/planted.ts', "import { createHash } from 'crypto';\nexport const x = createHash;\n"],
  ['src/workflows/planted.ts', "import { request } from 'undici';\nexport const x = request;\n"],
  ['src/workflows/planted.ts', "import { Worker } from '@temporalio/worker';\nexport const x = Worker;\n"],
  ['src/workflows/planted.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  ['src/workflows/planted.ts', "import { Context } from '@temporalio/activity';\nexport const x = Context;\n"],
  ['src/workflows/planted.ts', "import { filterNullAndUndefined } from '@temporalio/common/lib/internal-non-workflow';\nexport const x = filterNullAndUndefined;\n"],
  ['src/workflows/planted.ts', "import { MoovClient } from '../moov';\nexport const x = MoovClient;\n"],
  ['src/workflows/planted.ts', "export { updatePaymentLinkSchema } from '../moov/schemas/payment-links';\n"],
  ['src/workflows/planted.ts', "import type { RemediationActivities } from '../activities';\nexport type X = RemediationActivities;\n"],
  ['src/workflows/planted.ts', "import { startSandbox } from '../sandbox';\nexport const x = startSandbox;\n"],
  ['src/workflows/planted.ts', "import { METRICS } from '../observability';\nexport const x = METRICS;\n"],
  ['src/workflows/planted.ts', "export async function x() {\n  return import('node:fs');\n}\n", 'no-restricted-syntax'],
  // src/domain: nothing of the project but itself, no @temporalio/workflow.
  ['src/domain/planted.ts', "import { proxyActivities } from '@temporalio/workflow';\nexport const x = proxyActivities;\n"],
  ['src/domain/planted.ts', "import { basename } from 'node:path';\nexport const x = basename;\n"],
  ['src/domain/planted.ts', "import { fileMetadataSchema } from '../moov/schemas/files';\nexport const x = fileMetadataSchema;\n"],
  ['src/domain/planted.ts', "import type { StatusTracker } from '../workflows/status-tracker';\nexport type X = StatusTracker;\n"],
  ['src/domain/moov-requests/planted.ts', "import { MoovError } from '../../moov';\nexport const x = MoovError;\n"],
  // src/moov: the wire layer imports no Temporal and nothing above it.
  ['src/moov/planted.ts', "import { ApplicationFailure } from '@temporalio/activity';\nexport const x = ApplicationFailure;\n"],
  ['src/moov/planted.ts', "import { ApplicationFailure } from '@temporalio/common';\nexport const x = ApplicationFailure;\n"],
  ['src/moov/planted.ts', "import { createActivities } from '../activities';\nexport const x = createActivities;\n"],
  ['src/moov/schemas/planted.ts', "import { toApplicationFailure } from '../../activities/moov-failure';\nexport const x = toApplicationFailure;\n"],
  // src/sandbox: the other side of the wire imports none of the project.
  ['src/sandbox/planted.ts', "import { MoovClient } from '../moov';\nexport const x = MoovClient;\n"],
  ['src/sandbox/routes/planted.ts', "import { FILE_PURPOSES } from '../../domain/moov-requests/files';\nexport const x = FILE_PURPOSES;\n"],
  ['src/sandbox/planted.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
  // src/activities: below the workflows and outside their sandbox.
  ['src/activities/planted.ts', "import { sleep } from '@temporalio/workflow';\nexport const x = sleep;\n"],
  ['src/activities/planted.ts', "import { merchantRemediation } from '../workflows';\nexport const x = merchantRemediation;\n"],
  // Lower layers never import the ones that compose them.
  ['src/temporal-servers/planted.ts', "import { choosePort } from '../embedded/run-embedded';\nexport const x = choosePort;\n"],
  ['src/net/planted.ts', "import { startDevServer } from '../temporal-servers/dev-server';\nexport const x = startDevServer;\n"],
  ['src/config/planted.ts', "import { createLogger } from '../observability';\nexport const x = createLogger;\n"],
  ['src/observability/planted.ts', "import { createActivities } from '../activities';\nexport const x = createActivities;\n"],
  ['src/cli/planted.ts', "import { runEmbedded } from '../embedded/run-embedded';\nexport const x = runEmbedded;\n"],
  ['src/worker.ts', "import { runEmbedded } from './embedded/run-embedded';\nexport const x = runEmbedded;\n"],
  ['src/codec/failure-converter.ts', "import { randomBytes } from 'node:crypto';\nexport const x = randomBytes;\n"],
  // The webhook receiver never calls Moov (the body is a hint; the workflows re-read Moov) nor runs activities.
  ['src/webhooks/planted.ts', "import { MoovClient } from '../moov';\nexport const x = MoovClient;\n"],
  ['src/webhooks/planted.ts', "import { createActivities } from '../activities';\nexport const x = createActivities;\n"],
  ['src/workflows/planted.ts', "import { WEBHOOK_PATH } from '../webhooks';\nexport const x = WEBHOOK_PATH;\n"],
  ['src/sandbox/webhooks/planted.ts', "import { WEBHOOK_PATH } from '../../webhooks';\nexport const x = WEBHOOK_PATH;\n"],
  // Cycles, type-only ones included.
  ['src/cli/io.ts', "import { addSweepCommands } from './sweep-commands';\nexport const x = addSweepCommands;\n", CYCLE],
  ['src/domain/open-requirements.ts', "import type { RequirementsSummary } from './activity-contracts';\nexport type X = RequirementsSummary;\n", CYCLE],
];

const CLEAN: Case[] = [
  ['src/workflows/planted.ts', "export { proxyActivities } from '@temporalio/workflow';\nexport { msToNumber } from '@temporalio/common/lib/time';\nexport { z } from 'zod';\nexport { FailureType } from '../domain/failure-types';\nexport { PATCHES } from './patches';\n"],
  ['src/domain/planted.ts', "export { defineSearchAttributeKey } from '@temporalio/common';\nexport { formatIssues } from './validation';\n"],
  ['src/domain/moov-requests/planted.ts', "export { str } from '../validation';\n"],
  ['src/moov/planted.ts', "export { request } from 'undici';\nexport { readFile } from 'node:fs/promises';\nexport { FILE_PURPOSES } from '../domain/moov-requests/files';\n"],
  ['src/sandbox/planted.ts', "export { createServer } from 'node:http';\nexport { z } from 'zod';\n"],
  // The sandbox's own webhooks folder, named like the receiver's module: '../webhooks' one level down is its own.
  ['src/sandbox/routes/planted.ts', "export { signedHeaders } from '../webhooks/signing';\n"],
  ['src/activities/planted.ts', "export { Context } from '@temporalio/activity';\nexport { MoovError } from '../moov';\nexport { FailureType } from '../domain/failure-types';\n"],
  ['src/temporal-servers/planted.ts', "export { isPortFree } from '../net/ports';\n"],
  ['src/worker.ts', "export { createActivities } from './activities';\nexport { merchantRemediation } from './workflows';\n"],
  ['src/codec/failure-converter.ts', "export { DefaultFailureConverter } from '@temporalio/common';\n"],
  ['src/webhooks/planted.ts', "export { moovChangedSignal } from '../workflows/definitions';\nexport { clientConfigFromEnv } from '../config/client-config';\nexport { DEFAULT_SCHEDULE_ID } from '../sweep-client';\n"],
];

function lint(cases: Case[]): LintMessage[][] {
  const input = JSON.stringify(cases.map(([filePath, code]) => ({ filePath, code })));
  const output = execFileSync(process.execPath, [path.join(__dirname, 'support/lint-snippets.mjs')], { input, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output) as LintMessage[][];
}

describe('lint boundaries (eslint.config.mjs)', () => {
  let results: LintMessage[][];
  beforeAll(() => {
    results = lint([...VIOLATIONS, ...CLEAN]);
  });

  test.each(VIOLATIONS.map((c, index) => [c[0], c[1].split('\n')[0]!, c[2] ?? RESTRICTED, index] as const))(
    '%s: %s is reported by %s',
    (_file, _line, rule, index) => {
      const errors = results[index]!.filter((m) => m.severity === 2);
      expect(errors.map((m) => m.ruleId)).toContain(rule);
    },
  );

  test.each(CLEAN.map((c, index) => [c[0], index + VIOLATIONS.length] as const))('%s: allowed imports pass', (_file, index) => {
    expect(results[index]).toEqual([]);
  });
});

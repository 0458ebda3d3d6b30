import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidRemediationInputError, validateRemediationInput } from '../../src/client';
import { ConfigError, workerConfigFromEnv } from '../../src/config/worker-config';
import type { RemediationInput } from '../../src/domain/remediation-input';
import { MoovConfigError } from '../../src/moov';
import { PROJECT_ROOT } from '../../src/temporal-servers/locate';
import { merchantRemediation } from '../../src/workflows';
import { statusQuery } from '../../src/workflows/definitions';
import { runCliProcess } from '../support/cli-process';
import type { SandboxAccountState } from '../support/sandbox-admin';
import { MERCHANT_EMAIL, seedMerchant, seedPrincipal, useWorkflowHarness } from '../workflows/support/helpers';

/**
 * Bad input, case by case: each row names the layer that must refuse it, the exact message an
 * operator sees, and proves that nothing reached Moov (the sandbox's request log) and nothing was
 * half-done (the account's files, links, connections and payment links are as they were).
 *
 * Every input row starts from a complete, valid remediation (a file, a resolution link, a
 * connection and a payment link update; the control test runs it) with one defect, so "nothing
 * was done" means the other, valid steps did not run either.
 *
 * docs/reliability.md ("Bad input") lists every case below; a test keeps the two in step.
 */
const h = useWorkflowHarness();

interface Ctx {
  accountID: string;
  principalAccountID: string;
  code: string;
}

type Input = Record<string, unknown>;

function base(ctx: Ctx): Input {
  return {
    accountID: ctx.accountID,
    files: [{ path: 'passport.pdf', filePurpose: 'identity_verification', metadata: { requirement_id: 'document.business.verification' } }],
    resolutionLink: { recipient: { email: MERCHANT_EMAIL } },
    connection: { principalAccountID: ctx.principalAccountID, allowScopes: ['accounts.read'] },
    paymentLinks: [{ code: ctx.code, update: { display: { title: 'Yoga class' } } }],
    options: { followThrough: false },
  };
}

const GOOD_FILE = { path: 'passport.pdf', filePurpose: 'identity_verification' };
const withRecipient = (ctx: Ctx, recipient: unknown): Input => ({ ...base(ctx), resolutionLink: { recipient } });
const withFiles = (ctx: Ctx, files: unknown[]): Input => ({ ...base(ctx), files });
const withFile = (ctx: Ctx, file: Input): Input => withFiles(ctx, [GOOD_FILE, { filePurpose: 'business_verification', ...file }]);
const withUpdate = (ctx: Ctx, update: unknown): Input => ({ ...base(ctx), paymentLinks: [{ code: ctx.code, update }] });
const withPayment = (ctx: Ctx, details: Input): Input => withUpdate(ctx, { payment: { allowedMethods: ['card-payment', 'ach-debit-collect'], ...details } });
const withConnection = (ctx: Ctx, connection: Input): Input => ({ ...base(ctx), connection: { principalAccountID: ctx.principalAccountID, ...connection } });
const without = (input: Input, ...keys: string[]): Input => Object.fromEntries(Object.entries(input).filter(([key]) => !keys.includes(key)));

interface InputRow {
  case: string;
  input: (ctx: Ctx) => unknown;
  message: RegExp;
}

/** Caught by the input schema: the client refuses to start, and the workflow, started directly (Temporal UI), refuses too. */
const INPUT_ROWS: InputRow[] = [
  { case: 'account ID missing', input: (c) => without(base(c), 'accountID'), message: /accountID: is required/ },
  { case: 'account ID empty', input: (c) => ({ ...base(c), accountID: '' }), message: /accountID: must not be empty/ },
  { case: "account ID with '/'", input: (c) => ({ ...base(c), accountID: `${c.accountID}/files` }), message: /accountID: must not contain '\/' or whitespace/ },
  { case: 'account ID with spaces', input: (c) => ({ ...base(c), accountID: ` ${c.accountID} ` }), message: /accountID: must not contain '\/' or whitespace/ },
  { case: 'account ID too long (65 characters)', input: (c) => ({ ...base(c), accountID: 'a'.repeat(65) }), message: /accountID: must be a Moov account ID \(letters, digits, - and _; at most 64\)/ },
  { case: "account ID with URL characters ('?', '%')", input: (c) => ({ ...base(c), accountID: `${c.accountID}?x=%2F` }), message: /accountID: must be a Moov account ID/ },
  { case: 'recipient with both email and phone', input: (c) => withRecipient(c, { email: MERCHANT_EMAIL, phone: { number: '5555550100' } }), message: /resolutionLink\.recipient: provide either email or phone, not both/ },
  { case: 'recipient with neither email nor phone', input: (c) => withRecipient(c, {}), message: /resolutionLink\.recipient: provide either email or phone$/ },
  { case: 'invalid email', input: (c) => withRecipient(c, { email: 'owner at merchant.test' }), message: /resolutionLink\.recipient\.email: must be a valid email address/ },
  { case: 'phone number over 10 digits', input: (c) => withRecipient(c, { phone: { number: '55555501001' } }), message: /resolutionLink\.recipient\.phone\.number: must be 1–10 digits/ },
  { case: 'phone number with punctuation', input: (c) => withRecipient(c, { phone: { number: '555-555-0100' } }), message: /resolutionLink\.recipient\.phone\.number: must be 1–10 digits/ },
  { case: 'country code over 1 digit', input: (c) => withRecipient(c, { phone: { number: '5555550100', countryCode: '44' } }), message: /resolutionLink\.recipient\.phone\.countryCode: must be a single digit/ },
  { case: 'unknown file purpose', input: (c) => withFile(c, { path: 'owners.csv', filePurpose: 'selfie' }), message: /files\.1\.filePurpose: must be one of identity_verification, business_verification, representative_verification, individual_verification, merchant_underwriting, account_requirement/ },
  { case: 'fileName over 64 characters', input: (c) => withFile(c, { path: 'owners.csv', fileName: `${'n'.repeat(61)}.csv` }), message: /files\.1\.fileName: must be at most 64 characters \(Moov limit\)/ },
  { case: 'fileName that is a path', input: (c) => withFile(c, { path: 'owners.csv', fileName: 'docs/owners.csv' }), message: /files\.1\.fileName: must be a file name, not a path/ },
  { case: "path traversal '../'", input: (c) => withFile(c, { path: '../etc/passwd.csv' }), message: /files\.1\.path: must not contain '\.\.' \(files are read only from inside FILES_ROOT\)/ },
  { case: 'absolute path', input: (c) => withFile(c, { path: '/etc/passwd' }), message: /files\.1\.path: must be relative to FILES_ROOT, not absolute/ },
  { case: 'empty path', input: (c) => withFile(c, { path: '' }), message: /files\.1\.path: must not be empty/ },
  {
    case: 'more than 50 files in the input',
    input: (c) => withFiles(c, Array.from({ length: 51 }, (_, i) => ({ path: `doc-${i}.pdf`, filePurpose: 'business_verification' }))),
    message: /files: at most 50 files \(Moov keeps at most 50 per account\)/,
  },
  {
    case: 'unknown metadata key',
    input: (c) => withFile(c, { path: 'owners.csv', metadata: { owner: 'Ada' } }),
    message: /files\.1\.metadata: Unrecognized key: "owner" \(Moov accepts only representative_id, comment, requirement_id, error_code\)/,
  },
  { case: 'duplicate file entries (same path and purpose)', input: (c) => withFiles(c, [GOOD_FILE, GOOD_FILE]), message: /files\.1: is the same file and purpose as files\.0/ },
  {
    case: "duplicate file entries under another spelling ('./passport.pdf')",
    input: (c) => withFiles(c, [GOOD_FILE, { ...GOOD_FILE, path: './passport.pdf' }]),
    message: /files\.1: is the same file and purpose as files\.0/,
  },
  { case: 'unknown scope', input: (c) => withConnection(c, { allowScopes: ['accounts.read', 'accounts.everything'] }), message: /connection\.allowScopes\.1: is not a Moov application scope/ },
  { case: 'empty scope list', input: (c) => withConnection(c, { allowScopes: [] }), message: /connection\.allowScopes: must list at least one scope, or be omitted/ },
  {
    case: 'connection shared with the account itself',
    input: (c) => withConnection(c, { principalAccountID: c.accountID }),
    message: /connection\.principalAccountID: must be another account than accountID \(an account cannot share a connection with itself\)/,
  },
  { case: 'companyEntryDescription under 4 characters', input: (c) => withPayment(c, { achDetails: { companyEntryDescription: 'Yog' } }), message: /paymentLinks\.0\.update\.payment\.achDetails\.companyEntryDescription: must be 4–10 characters/ },
  { case: 'companyEntryDescription over 10 characters', input: (c) => withPayment(c, { achDetails: { companyEntryDescription: 'Yoga Classes' } }), message: /paymentLinks\.0\.update\.payment\.achDetails\.companyEntryDescription: must be 4–10 characters/ },
  { case: 'originatingCompanyName over 16 characters', input: (c) => withPayment(c, { achDetails: { originatingCompanyName: 'Whole Body Fitness' } }), message: /paymentLinks\.0\.update\.payment\.achDetails\.originatingCompanyName: must be 4–16 characters/ },
  { case: 'dynamicDescriptor under 4 characters', input: (c) => withPayment(c, { cardDetails: { dynamicDescriptor: 'WBF' } }), message: /paymentLinks\.0\.update\.payment\.cardDetails\.dynamicDescriptor: must be 4–22 characters/ },
  { case: "currency 'usd' (lowercase)", input: (c) => withUpdate(c, { amount: { currency: 'usd', value: 100 } }), message: /paymentLinks\.0\.update\.amount\.currency: must be a 3-letter uppercase ISO 4217 code, e.g\. USD/ },
  { case: "currency 'US' (2 letters)", input: (c) => withUpdate(c, { amount: { currency: 'US', value: 100 } }), message: /paymentLinks\.0\.update\.amount\.currency: must be a 3-letter uppercase ISO 4217 code, e.g\. USD/ },
  { case: 'negative amount', input: (c) => withUpdate(c, { amount: { currency: 'USD', value: -100 } }), message: /paymentLinks\.0\.update\.amount\.value: must not be negative/ },
  { case: 'fractional amount', input: (c) => withUpdate(c, { amount: { currency: 'USD', value: 10.5 } }), message: /paymentLinks\.0\.update\.amount\.value: must be an integer \(smallest currency unit, e\.g\. cents\)/ },
  { case: 'payment without allowedMethods', input: (c) => withUpdate(c, { payment: { achDetails: { companyEntryDescription: 'Yoga' } } }), message: /paymentLinks\.0\.update\.payment\.allowedMethods: is required when payment is present/ },
  { case: 'empty payment link update', input: (c) => withUpdate(c, {}), message: /paymentLinks\.0\.update: provide at least one field to update/ },
  {
    case: 'payment link listed twice',
    input: (c) => ({ ...base(c), paymentLinks: [{ code: c.code, update: { display: { title: 'A' } } }, { code: c.code, update: { display: { title: 'B' } } }] }),
    message: /paymentLinks\.1\.code: is listed twice/,
  },
  { case: 'unknown top-level key', input: (c) => ({ ...base(c), recipient: { email: MERCHANT_EMAIL } }), message: /Unrecognized key: "recipient"/ },
  { case: 'nothing to do', input: (c) => ({ accountID: c.accountID }), message: /nothing to do: give files, resolutionLink, connection or paymentLinks/ },
  { case: 'input that is not an object (null)', input: () => null, message: /Invalid remediation input: Invalid input: expected object, received null/ },
  { case: 'uploadConcurrency 0', input: (c) => ({ ...base(c), options: { followThrough: false, uploadConcurrency: 0 } }), message: /options\.uploadConcurrency: must be 1–10/ },
  {
    case: "stepRetryTimeout 'soon'",
    input: (c) => ({ ...base(c), options: { followThrough: false, stepRetryTimeout: 'soon' } }),
    message: /options\.stepRetryTimeout: must be a positive duration such as '6h', '35 days' or milliseconds/,
  },
];

const LONG_NAME = `${'l'.repeat(66)}.pdf`;

/**
 * Caught by the planFileUploads activity: only the worker can see FILES_ROOT, so the client
 * accepts these. The plan checks every file before any call, so the valid first file is not
 * uploaded either and no call (not even the file list) reaches Moov.
 */
const ACTIVITY_ROWS: InputRow[] = [
  { case: 'file over 10 MB (10 MiB + 1 byte)', input: (c) => withFile(c, { path: 'big.pdf' }), message: /^files: big\.pdf: filePath: big\.pdf is 10485761 bytes; Moov accepts at most 10485760 bytes \(10 MB\)$/ },
  { case: 'PDF bytes behind a .png name', input: (c) => withFile(c, { path: 'disguised.png' }), message: /^files: disguised\.png: fileName: extension of "disguised\.png" says png but the content is pdf$/ },
  { case: 'fileName extension that disagrees with the content', input: (c) => withFile(c, { path: 'passport.pdf', fileName: 'passport.png' }), message: /^files: passport\.pdf: fileName: path "passport\.pdf" says pdf but fileName "passport\.png" says png$/ },
  { case: 'empty file', input: (c) => withFile(c, { path: 'empty.pdf' }), message: /^files: empty\.pdf: filePath: empty\.pdf is empty$/ },
  { case: 'file name over 64 characters (from the path)', input: (c) => withFile(c, { path: LONG_NAME }), message: /fileName: must be at most 64 characters \(got 70\); pass a shorter fileName$/ },
  { case: 'symlink out of FILES_ROOT', input: (c) => withFile(c, { path: 'escape.pdf' }), message: /^files: escape\.pdf resolves outside FILES_ROOT\/[\w-]+\/ \(symbolic link\?\); refusing to read it$/ },
  { case: 'missing file', input: (c) => withFile(c, { path: 'nowhere/missing.pdf' }), message: /^files: nowhere\/missing\.pdf cannot be read below FILES_ROOT\/[\w-]+\/ \(ENOENT\)$/ },
  { case: "another account's file", input: (c) => withFile(c, { path: `${c.principalAccountID}/passport.pdf` }), message: /^files: [\w-]+\/passport\.pdf cannot be read below FILES_ROOT\/[\w-]+\/ \(ENOENT\)$/ },
  { case: 'the same bytes under two paths', input: (c) => withFile(c, { path: 'passport-copy.pdf', filePurpose: 'identity_verification' }), message: /^files\.1: passport-copy\.pdf has the same content as files\.0 \(passport\.pdf\) for the same purpose and requirement\. Nothing was uploaded\.$/ },
  { case: 'a .env sent as a.csv', input: (c) => withFile(c, { path: '.env', fileName: 'a.csv' }), message: /^files: \.env: path: extension of "\.env" must be one of \.csv, \.jpg, \.jpeg, \.pdf, \.png \(got "none"\)$/ },
  { case: 'unsupported extension (.txt)', input: (c) => withFile(c, { path: 'notes.txt' }), message: /^files: notes\.txt: path: extension of "notes\.txt" must be one of \.csv, \.jpg, \.jpeg, \.pdf, \.png \(got "\.txt"\)$/ },
  { case: 'a directory, not a file', input: (c) => withFile(c, { path: 'folder.pdf' }), message: /^files: folder\.pdf: filePath: folder\.pdf is not a regular file$/ },
  { case: 'binary content with no known signature', input: (c) => withFile(c, { path: 'binary.csv' }), message: /binary\.csv is not a csv, jpeg, pdf or png file \(binary content with no known signature\)$/ },
];


interface CliRow {
  case: string;
  args: (ctx: Ctx, inputs: string) => string[];
  message: RegExp;
}

/** Caught by the CLI before it connects to Temporal: exit code 2, one line on stderr. */
const CLI_ROWS: CliRow[] = [
  { case: 'malformed JSON in --input', args: (_c, dir) => ['start', '--input', path.join(dir, 'malformed.json')], message: /^error: --input .*malformed\.json: not valid JSON \(/ },
  { case: '--input holding a JSON array', args: (_c, dir) => ['start', '--input', path.join(dir, 'array.json')], message: /^error: --input .*array\.json: must hold a JSON object in the remediation input shape/ },
  { case: '--input file that does not exist', args: (_c, dir) => ['start', '--input', path.join(dir, 'absent.json')], message: /^error: --input .*absent\.json: cannot read the file \(ENOENT\)/ },
  { case: '--input with an invalid remediation', args: (_c, dir) => ['start', '--input', path.join(dir, 'nothing-to-do.json')], message: /^error: Invalid remediation input: nothing to do: give files, resolutionLink, connection or paymentLinks/ },
  { case: 'unknown CLI flag', args: (c) => ['start', '--account', c.accountID, '--emali', MERCHANT_EMAIL], message: /^error: unknown option '--emali'\n\(Did you mean --email\?\)/ },
  { case: 'missing --account', args: () => ['start', '--email', MERCHANT_EMAIL], message: /^error: missing the account: give --account ID \(or accountID in the --input file\)/ },
  { case: '--email with --phone', args: (c) => ['start', '--account', c.accountID, '--email', MERCHANT_EMAIL, '--phone', '5555550100'], message: /^error: option '--email <email>' cannot be used with option '--phone <number>'/ },
  { case: '--country-code without --phone', args: (c) => ['start', '--account', c.accountID, '--country-code', '1'], message: /^error: --country-code needs --phone/ },
  { case: '--scope without --principal', args: (c) => ['start', '--account', c.accountID, '--email', MERCHANT_EMAIL, '--scope', 'accounts.read'], message: /^error: --scope needs --principal/ },
  { case: '--file without a purpose', args: (c) => ['start', '--account', c.accountID, '--file', 'passport.pdf'], message: /^error: --file passport\.pdf: expected PATH:PURPOSE\[:REQUIREMENT_ID\] with PURPOSE one of identity_verification/ },
  { case: '--file with an unknown purpose', args: (c) => ['start', '--account', c.accountID, '--file', 'passport.pdf:selfie'], message: /^error: --file passport\.pdf:selfie: expected PATH:PURPOSE\[:REQUIREMENT_ID\]/ },
  { case: '--phone over 10 digits', args: (c) => ['start', '--account', c.accountID, '--phone', '55555501001'], message: /^error: Invalid remediation input: resolutionLink\.recipient\.phone\.number: must be 1–10 digits/ },
];

interface ConfigRow {
  case: string;
  env: (valid: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  error: typeof ConfigError | typeof MoovConfigError;
  variable?: string;
  message: RegExp;
}

const SECRET = 'sk_test_never_print_me';

/** Caught by the worker's configuration before a Moov client exists: the worker does not start. */
const CONFIG_ROWS: ConfigRow[] = [
  {
    case: 'no Moov credentials at all',
    env: ({ MOOV_PUBLIC_KEY: _p, MOOV_SECRET_KEY: _s, ...rest }) => rest,
    error: MoovConfigError,
    variable: 'MOOV_PUBLIC_KEY',
    message: /^Invalid Moov configuration: no credentials; set MOOV_PUBLIC_KEY and MOOV_SECRET_KEY, or MOOV_ACCESS_TOKEN$/,
  },
  { case: 'MOOV_PUBLIC_KEY without MOOV_SECRET_KEY', env: ({ MOOV_SECRET_KEY: _s, ...rest }) => rest, error: MoovConfigError, variable: 'MOOV_SECRET_KEY', message: /MOOV_SECRET_KEY is required when MOOV_PUBLIC_KEY is set/ },
  { case: 'both key pair and MOOV_ACCESS_TOKEN', env: (v) => ({ ...v, MOOV_ACCESS_TOKEN: 'token' }), error: MoovConfigError, variable: 'MOOV_ACCESS_TOKEN', message: /set either MOOV_PUBLIC_KEY \+ MOOV_SECRET_KEY or MOOV_ACCESS_TOKEN, not both/ },
  { case: 'MOOV_BASE_URL carrying credentials', env: (v) => ({ ...v, MOOV_BASE_URL: `https://user:${SECRET}@api.moov.io` }), error: MoovConfigError, variable: 'MOOV_BASE_URL', message: /MOOV_BASE_URL must be an http\(s\) URL without credentials, query or fragment/ },
  { case: 'FILES_ROOT missing', env: ({ FILES_ROOT: _f, ...rest }) => rest, error: ConfigError, message: /^Invalid configuration: FILES_ROOT is required: the folder uploads are read from$/ },
  { case: 'FILES_LAYOUT unknown', env: (v) => ({ ...v, FILES_LAYOUT: 'flat' }), error: ConfigError, message: /^Invalid configuration: FILES_LAYOUT must be one of per-account, shared$/ },
  {
    case: 'MOOV_HEADERS_TIMEOUT_MS longer than the activities allow',
    env: (v) => ({ ...v, MOOV_HEADERS_TIMEOUT_MS: '120000' }),
    error: MoovConfigError,
    variable: 'MOOV_HEADERS_TIMEOUT_MS',
    message: /^Invalid Moov configuration: MOOV_HEADERS_TIMEOUT_MS must be at most 60000 ms: the activities' Temporal timeouts leave no room for a longer request$/,
  },
];

let outsideDir: string;
let inputsDir: string;

/** The bad files, in one account's own folder (FILES_ROOT/<accountID>/, the default FILES_LAYOUT). */
async function writeBadFiles(accountID: string): Promise<void> {
  const dir = path.join(h().filesRoot, accountID);
  const pdf = await readFile(path.join(dir, 'passport.pdf'));
  await writeFile(path.join(dir, 'big.pdf'), pdf);
  await truncate(path.join(dir, 'big.pdf'), 10 * 1024 * 1024 + 1); // a real 10 MiB + 1 byte PDF-looking file
  await writeFile(path.join(dir, 'disguised.png'), pdf);
  await writeFile(path.join(dir, 'passport-copy.pdf'), pdf);
  await writeFile(path.join(dir, 'empty.pdf'), '');
  await writeFile(path.join(dir, LONG_NAME), pdf);
  await writeFile(path.join(dir, 'notes.txt'), 'hello');
  await writeFile(path.join(dir, '.env'), 'MOOV_SECRET_KEY=not-a-document\n');
  await writeFile(path.join(dir, 'binary.csv'), Buffer.from([0x00, 0x01, 0x02, 0x03]));
  await mkdir(path.join(dir, 'folder.pdf'));
  await symlink(path.join(outsideDir, 'secret.pdf'), path.join(dir, 'escape.pdf'));
}

beforeAll(async () => {
  const pdf = await readFile(path.join(h().filesRoot, 'passport.pdf'));
  outsideDir = await mkdtemp(path.join(tmpdir(), 'outside-files-root-'));
  await writeFile(path.join(outsideDir, 'secret.pdf'), pdf);
  inputsDir = await mkdtemp(path.join(tmpdir(), 'cli-inputs-'));
  await writeFile(path.join(inputsDir, 'malformed.json'), '{"accountID": "abc", files: [}');
  await writeFile(path.join(inputsDir, 'array.json'), '[{"accountID": "abc"}]');
  await writeFile(path.join(inputsDir, 'nothing-to-do.json'), JSON.stringify({ accountID: 'acct_nothing' }));
});

afterAll(async () => {
  await rm(outsideDir, { recursive: true, force: true });
  await rm(inputsDir, { recursive: true, force: true });
});

let principalAccountID: string;

async function seed(): Promise<Ctx> {
  principalAccountID ??= await seedPrincipal(h());
  const accountID = await seedMerchant(h());
  await writeBadFiles(accountID);
  const { code } = await h().admin.seedPaymentLink(accountID, { display: { title: 'Drop-in class' } });
  return { accountID, principalAccountID, code };
}

interface Before {
  state: SandboxAccountState;
  totalRequests: number;
}

async function observe(ctx: Ctx): Promise<Before> {
  return { state: await h().admin.state(ctx.accountID), totalRequests: (await h().admin.requests()).length };
}

/** Nothing reached Moov (no request at all, for this account or any other) and nothing was half-done. */
/** `otherAccount`: one whose requests are expected meanwhile (the CLI rows' control run). */
async function expectUntouched(ctx: Ctx, before: Before, otherAccount?: string): Promise<void> {
  expect(await h().admin.requests({ accountID: ctx.accountID })).toEqual([]);
  expect((await h().admin.requests()).filter((r) => otherAccount === undefined || r.accountID !== otherAccount).length).toBe(before.totalRequests);
  const state = await h().admin.state(ctx.accountID);
  expect(state.files).toEqual([]);
  expect(state.resolutionLinks).toEqual([]);
  expect(state.connections).toEqual([]);
  expect(state.paymentLinks).toEqual(before.state.paymentLinks);
}

function startDirectly(input: unknown) {
  return h().env.client.workflow.start(merchantRemediation, {
    taskQueue: h().taskQueue,
    workflowId: `bad-input-${randomUUID()}`,
    args: [input as RemediationInput],
  });
}

async function workflowFailure(result: Promise<unknown>): Promise<WorkflowFailedError> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError)) throw new Error(`expected the workflow to fail, got ${String(err)}`);
  return err;
}

test('control: the base input, with no defect, does every step', async () => {
  const ctx = await seed();
  const handle = await startDirectly(base(ctx));
  const result = await handle.result();
  expect(result.phase).toBe('completed');
  const state = await h().admin.state(ctx.accountID);
  expect(state.files.map((f) => f.fileName)).toEqual(['passport.pdf']);
  expect(state.resolutionLinks).toHaveLength(1);
  expect(state.connections).toEqual([expect.objectContaining({ principalAccountID: ctx.principalAccountID })]);
  expect(state.paymentLinks[0]?.display?.title).toBe('Yoga class');
});

describe('caught by the input schema: validateRemediationInput (client) and the workflow itself', () => {
  test.each(INPUT_ROWS)('$case', async (row) => {
    const ctx = await seed();
    const input = row.input(ctx);
    const before = await observe(ctx);

    // The onboarding backend's path: nothing is started.
    let clientError: unknown;
    try {
      validateRemediationInput(input);
    } catch (err) {
      clientError = err;
    }
    expect(clientError).toBeInstanceOf(InvalidRemediationInputError);
    expect((clientError as Error).message).toMatch(/^Invalid remediation input: /);
    expect((clientError as Error).message).toMatch(row.message);

    // The Temporal UI's path: the workflow started with the raw JSON refuses it before any activity.
    const handle = await startDirectly(input);
    const failed = await workflowFailure(handle.result());
    expect(failed.cause).toBeInstanceOf(ApplicationFailure);
    const failure = failed.cause as ApplicationFailure;
    expect(failure.type).toBe('InvalidRemediationInput');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe((clientError as Error).message);
    expect(h().attempts.filter((a) => a.workflowId === handle.workflowId)).toEqual([]);

    await expectUntouched(ctx, before);
  });
});

describe('caught by the planFileUploads activity, before any call to Moov', () => {
  test.each(ACTIVITY_ROWS)('$case', async (row) => {
    const ctx = await seed();
    const input = row.input(ctx);
    const before = await observe(ctx);
    expect(() => validateRemediationInput(input)).not.toThrow();

    const handle = await startDirectly(input);
    const failed = await workflowFailure(handle.result());
    expect(failed.cause).toBeInstanceOf(ActivityFailure);
    expect((failed.cause as ActivityFailure).activityType).toBe('planFileUploads');
    const failure = (failed.cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('InvalidRemediationInput');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(row.message);
    // The worker's own paths stay out of workflow history.
    expect(failure.message).not.toContain(h().filesRoot);
    expect(failure.message).not.toContain(outsideDir);
    // One attempt, not retried.
    expect(h().attempts.filter((a) => a.workflowId === handle.workflowId).map((a) => [a.activityType, a.attempt])).toEqual([['planFileUploads', 1]]);

    const status = await handle.query(statusQuery);
    expect(status.phase).toBe('failed');
    expect(status.lastError).toMatchObject({ type: 'InvalidRemediationInput', message: failure.message });
    expect(status.files.map((f) => f.state)).toEqual(['pending', 'pending']);
    await expectUntouched(ctx, before);
  });
});

describe('caught by the CLI before it connects to Temporal (exit code 2)', () => {
  interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
    ctx: Ctx;
    before: Before;
  }
  const runs = new Map<string, CliRun>();
  let control: CliRun;
  // A real Temporal server (the harness's) on a task queue no worker polls: a row that got past
  // validation would start a remediation there, and its describe() below would find it. The
  // control needs the harness's worker: a start answers per item once the workflow has taken its
  // input (update-with-start), so it proves a valid command does start a remediation.
  const taskQueue = `unpolled-${randomUUID()}`;

  // The CLI runs as a child process, as an operator runs it; a few at a time to keep the suite short.
  beforeAll(async () => {
    const rows = [...CLI_ROWS, { case: 'control', args: (c: Ctx) => ['start', '--account', c.accountID, '--email', MERCHANT_EMAIL, '--json'] }];
    const pending = [];
    for (const row of rows) {
      const ctx = await seed();
      pending.push({ row, ctx, before: await observe(ctx) });
    }
    await mapInBatches(pending, 3, async ({ row, ctx, before }) => {
      const queue = row.case === 'control' ? h().taskQueue : taskQueue;
      const run = { ...(await runCliProcess(row.args(ctx, inputsDir), { address: h().env.address, taskQueue: queue })), ctx, before };
      if (row.case === 'control') control = run;
      else runs.set(row.case, run);
    });
  }, 60_000);

  test('control: a valid command gets past validation and starts the remediation (exit 0)', async () => {
    expect(control.stderr).toBe('');
    expect(control.code).toBe(0);
    expect(JSON.parse(control.stdout)).toMatchObject({ workflowId: `remediation-${control.ctx.accountID}`, started: true });
    const handle = h().env.client.workflow.getHandle(`remediation-${control.ctx.accountID}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('bad-input matrix control: proven started');
  });

  test.each(CLI_ROWS)('$case', async (row) => {
    const run = runs.get(row.case)!;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(row.message);
    expect(run.stdout).toBe('');
    // Nothing was started at Temporal, nothing reached Moov.
    await expect(h().env.client.workflow.getHandle(`remediation-${run.ctx.accountID}`).describe()).rejects.toThrow(WorkflowNotFoundError);
    await expectUntouched(run.ctx, run.before, control.ctx.accountID);
  });
});

describe('caught by the worker configuration: the worker does not start', () => {
  test.each(CONFIG_ROWS)('$case', async (row) => {
    const requestsBefore = (await h().admin.requests()).length;
    const valid: NodeJS.ProcessEnv = { FILES_ROOT: h().filesRoot, MOOV_BASE_URL: h().sandbox.url, MOOV_PUBLIC_KEY: 'pk_test', MOOV_SECRET_KEY: SECRET };
    expect(() => workerConfigFromEnv(valid)).not.toThrow();

    let error: unknown;
    try {
      workerConfigFromEnv(row.env(valid));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(row.error);
    expect((error as Error).message).toMatch(row.message);
    expect((error as Error).message).not.toContain(SECRET);
    if (row.variable) expect((error as MoovConfigError).variable).toBe(row.variable);
    expect((await h().admin.requests()).length).toBe(requestsBefore);
  });
});

test('docs/reliability.md lists every case of this matrix', async () => {
  const doc = await readFile(path.join(PROJECT_ROOT, 'docs', 'reliability.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Bad input'), doc.indexOf('## Upstream refusals'));
  const missing = [...INPUT_ROWS, ...ACTIVITY_ROWS, ...CLI_ROWS, ...CONFIG_ROWS].map((row) => row.case).filter((name) => !section.includes(`| ${name} |`));
  expect(missing).toEqual([]);
});


async function mapInBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

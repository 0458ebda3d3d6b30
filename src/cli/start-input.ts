import { readFile } from 'node:fs/promises';
import { FILE_PURPOSES } from '../moov';

/** A mistake in how the CLI was called: reported with exit code 2, before anything is started. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface StartFlags {
  account?: string;
  email?: string;
  phone?: string;
  countryCode?: string;
  file?: string[];
  /** files "auto": the catalog's documents for the account's open requirements (docs/remediation.md). */
  autoFiles?: boolean;
  principal?: string;
  scope?: string[];
  input?: string;
}

type JsonObject = Record<string, unknown>;

/**
 * `PATH:PURPOSE[:REQUIREMENT_ID]`. The purpose is found by name rather than by position, so a
 * path that itself contains ':' still parses.
 */
export function parseFileSpec(spec: string): JsonObject {
  const parts = spec.split(':');
  const purposes: readonly string[] = FILE_PURPOSES;
  const purposeAt = purposes.includes(parts.at(-1) ?? '') ? parts.length - 1 : purposes.includes(parts.at(-2) ?? '') ? parts.length - 2 : -1;
  if (purposeAt < 1) {
    throw new UsageError(`--file ${spec}: expected PATH:PURPOSE[:REQUIREMENT_ID] with PURPOSE one of ${FILE_PURPOSES.join(', ')}`);
  }
  const path = parts.slice(0, purposeAt).join(':');
  const requirementID = purposeAt === parts.length - 2 ? parts.at(-1) : undefined;
  if (requirementID === '') throw new UsageError(`--file ${spec}: REQUIREMENT_ID after the last ':' is empty`);
  return {
    path,
    filePurpose: parts[purposeAt],
    ...(requirementID !== undefined && { metadata: { requirement_id: requirementID } }),
  };
}

async function readInputFile(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--input ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--input ${file}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--input ${file}: must hold a JSON object in the remediation input shape (accountID, files, resolutionLink, connection, paymentLinks, options)`);
  }
  return parsed as JsonObject;
}

/**
 * The workflow input from `--input` and the flags: flags replace the parts they name (account,
 * recipient, connection) and add to the file list. The result is validated by the caller.
 */
export async function buildStartInput(flags: StartFlags): Promise<JsonObject> {
  const files = flags.file ?? [];
  const scopes = flags.scope ?? [];
  const input: JsonObject = flags.input !== undefined ? await readInputFile(flags.input) : {};

  if (flags.account !== undefined) input.accountID = flags.account;
  if (input.accountID === undefined) throw new UsageError('missing the account: give --account ID (or accountID in the --input file)');

  if (flags.countryCode !== undefined && flags.phone === undefined) throw new UsageError('--country-code needs --phone');
  if (flags.email !== undefined) input.resolutionLink = { recipient: { email: flags.email } };
  if (flags.phone !== undefined) {
    input.resolutionLink = {
      recipient: { phone: { number: flags.phone, ...(flags.countryCode !== undefined && { countryCode: flags.countryCode }) } },
    };
  }

  if (flags.autoFiles) {
    if (files.length > 0) throw new UsageError('--auto-files chooses the files itself: give it or --file, not both');
    input.files = 'auto';
  }
  if (files.length > 0) {
    if (input.files !== undefined && !Array.isArray(input.files)) throw new UsageError('--input: files must be an array');
    input.files = [...((input.files as unknown[] | undefined) ?? []), ...files.map(parseFileSpec)];
  }

  if (flags.principal !== undefined) {
    input.connection = { principalAccountID: flags.principal, ...(scopes.length > 0 && { allowScopes: scopes }) };
  } else if (scopes.length > 0) {
    const existing = input.connection;
    if (typeof existing !== 'object' || existing === null) throw new UsageError('--scope needs --principal (or a connection in the --input file)');
    input.connection = { ...(existing as JsonObject), allowScopes: scopes };
  }
  return input;
}

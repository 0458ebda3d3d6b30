import type { z } from 'zod';
import { ConfigError, invalidConfiguration } from './config-error';

/**
 * The project's one way of reading the environment: a table of settings, one row per variable,
 * from which both the parsed configuration (and its type) and the configuration table of
 * docs/configuration.md come (`npm run docs:settings`). Plain zod, so every layer can use it, src/moov included.
 */

/** What the configuration table (docs/configuration.md) says about a variable. */
export interface VariableDoc {
  /** As the table shows it, e.g. TEMPORAL_ADDRESS. */
  variable: string;
  /** The table's default column when it is not a plain `default` value (markdown). */
  defaultText?: string;
  /** Who reads it: worker, CLI, client, codec server, `npm start`, tests. */
  usedBy: string;
  /** The table's meaning column (markdown; an anchor-only link is mapped to its place in docs/ by scripts/settings-doc.ts). */
  meaning: string;
}

/** A variable the project parses itself. */
export interface Setting<T> extends VariableDoc {
  /**
   * Gets the trimmed value, or `default` when the variable is unset or blank (a blank assignment
   * in a .env file means "not set"), else undefined. Issue messages follow the variable's name
   * and never quote the value, which may be a secret.
   */
  parse: z.ZodType<T>;
  /** Used when unset or blank; the table shows it as `code`. */
  default?: string;
  /** A blank value goes to `parse` as '' instead of meaning "not set" (for a variable that must not be blank). */
  blankIsValue?: true;
}

/** Infers a row's value type from its parser. */
export const setting = <T>(row: Setting<T>): Setting<T> => row;

export type SettingsTable = Record<string, Setting<unknown>>;
type ValueOf<S> = S extends Setting<infer T> ? T : never;
type OptionalKeys<T extends SettingsTable> = { [K in keyof T]: undefined extends ValueOf<T[K]> ? K : never }[keyof T];
/** The parsed configuration of a table: a row whose parser may give undefined is an optional field. */
export type SettingsOf<T extends SettingsTable> = { [K in Exclude<keyof T, OptionalKeys<T>>]: ValueOf<T[K]> } & {
  [K in OptionalKeys<T>]?: Exclude<ValueOf<T[K]>, undefined>;
};

export type Env = Readonly<Record<string, string | undefined>>;
/** How a table's errors are raised; the default is a ConfigError `Invalid configuration: VARIABLE problem`. */
export type ConfigErrorFactory = (variable: string, problem: string) => ConfigError;
const configError: ConfigErrorFactory = (variable, problem) => new ConfigError(variable, invalidConfiguration(variable, problem));

/** Reads every row of `table` from `env`; the first bad value throws, naming its variable. */
export function readSettings<T extends SettingsTable>(table: T, env: Env, error: ConfigErrorFactory = configError): SettingsOf<T> {
  const values: Record<string, unknown> = {};
  for (const [key, row] of Object.entries(table)) {
    const raw = env[row.variable]?.trim();
    const parsed = row.parse.safeParse(raw === undefined || (raw === '' && !row.blankIsValue) ? row.default : raw);
    if (!parsed.success) throw error(row.variable, parsed.error.issues[0]?.message ?? 'is invalid');
    if (parsed.data !== undefined) values[key] = parsed.data;
  }
  return values as SettingsOf<T>;
}

/** `options` without its undefined fields, so that spreading it over defaults keeps them. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The rows' defaults, parsed: what a caller that builds the configuration in code gets for what it leaves out. */
export function defaultsOf<T extends SettingsTable>(table: T): Partial<SettingsOf<T>> {
  const withDefault = Object.fromEntries(Object.entries(table).filter(([, row]) => row.default !== undefined));
  return readSettings(withDefault, {}) as Partial<SettingsOf<T>>;
}

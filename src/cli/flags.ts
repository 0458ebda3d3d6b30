import { UsageError } from './start-input';

/** A flag that takes a count (`--page-size`, `--max-starts`): a whole number from 1, else a UsageError naming it. */
export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive whole number (got "${value}")`);
  return Number(value);
}

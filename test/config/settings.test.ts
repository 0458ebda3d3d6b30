import { z } from 'zod';
import { CodecConfigError } from '../../src/codec';
import { TemporalConfigError } from '../../src/config/temporal-connection';
import { ConfigError } from '../../src/domain/config-error';
import { defaultsOf, readSettings, setting } from '../../src/domain/settings';
import { MoovConfigError } from '../../src/moov';

/** The one reader of the environment (src/domain/settings.ts), on a table of its own. */
const TABLE = {
  size: setting({ variable: 'SIZE', default: '3', parse: z.coerce.number().int('must be a whole number'), usedBy: 'tests', meaning: 'a number with a default' }),
  name: setting({ variable: 'NAME', parse: z.string().optional(), usedBy: 'tests', meaning: 'optional' }),
  queue: setting({ variable: 'QUEUE', default: 'q', blankIsValue: true, parse: z.string().min(1, 'must not be empty'), usedBy: 'tests', meaning: 'never blank' }),
};

test('values are trimmed; unset and blank mean the default, or an absent field', () => {
  expect(readSettings(TABLE, {})).toStrictEqual({ size: 3, queue: 'q' });
  expect(readSettings(TABLE, { SIZE: ' ', NAME: '  ' })).toStrictEqual({ size: 3, queue: 'q' });
  expect(readSettings(TABLE, { SIZE: ' 7 ', NAME: ' x ', QUEUE: ' r ' })).toStrictEqual({ size: 7, name: 'x', queue: 'r' });
});

test('a bad value is a ConfigError naming the variable, never the value', () => {
  const err = (() => {
    try {
      readSettings(TABLE, { SIZE: '2.5-secret' });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  expect(err).toBeInstanceOf(ConfigError);
  expect(err?.variable).toBe('SIZE');
  expect(err?.message).toMatch(/^Invalid configuration: SIZE /);
  expect(err?.message).not.toContain('secret');
  expect(() => readSettings(TABLE, { QUEUE: ' ' })).toThrow(/^Invalid configuration: QUEUE must not be empty$/);
});

test('defaultsOf parses the rows that have a default', () => {
  expect(defaultsOf(TABLE)).toStrictEqual({ size: 3, queue: 'q' });
});

test('every configuration error is a ConfigError, with the variable it names', () => {
  const errors = [new TemporalConfigError('TEMPORAL_TLS', 'is wrong'), new MoovConfigError('MOOV_BASE_URL', 'Invalid Moov configuration: MOOV_BASE_URL is wrong'), new CodecConfigError('TEMPORAL_CODEC_KEYS', 'is wrong')];
  for (const err of errors) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(err.variable);
  }
});

import { readFileSync } from 'node:fs';
import { CONFIGURATION_DOC, withSettingsTable } from '../../scripts/settings-doc';

/** docs/configuration.md's table is generated from the settings tables; a new row needs only `npm run docs:settings`. */
test('docs/configuration.md configuration table matches the settings tables (run npm run docs:settings)', () => {
  const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
  expect(doc).toBe(withSettingsTable(doc));
});

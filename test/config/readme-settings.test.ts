import { readFileSync } from 'node:fs';
import { README, withSettingsTable } from '../../scripts/settings-doc';

/** README.md's configuration table is generated from the settings tables; a new row needs only `npm run docs:settings`. */
test('README.md configuration table matches the settings tables (run npm run docs:settings)', () => {
  const readme = readFileSync(README, 'utf8');
  expect(readme).toBe(withSettingsTable(readme));
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REMEDIATION_PHASE_CHANGED_AT, SEARCH_ATTRIBUTE_CLI_TYPES, SEARCH_ATTRIBUTES, registerSearchAttributeCommand } from '../../../src/domain/search-attributes';
import { searchAttributeArgs } from '../../../src/temporal-servers/dev-server';

/**
 * SEARCH_ATTRIBUTES is the one list of what a namespace must have registered. The places that
 * cannot import it (the compose setup script, the docs operators copy commands from) must name
 * every attribute with its type, or a workflow upserting the missing one fails its workflow task.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const typed = SEARCH_ATTRIBUTES.map((key) => ({ name: key.name, type: SEARCH_ATTRIBUTE_CLI_TYPES[key.type] }));

test('the dev server registers each attribute with its own type', () => {
  expect(searchAttributeArgs()).toEqual(typed.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]));
});

test("deploy/temporal/setup-namespace.sh (docker-compose's temporal-setup) registers each, with its type", () => {
  const list = read('deploy/temporal/setup-namespace.sh').match(/^SEARCH_ATTRIBUTES="([^"]*)"$/m)?.[1];
  expect(list?.split(' ')).toEqual(typed.map(({ name, type }) => `${name}:${type}`));
});

test('the docs name each with its type: the operations table, the dev-server command, the compose service', () => {
  const operations = read('docs/operations.md');
  for (const { name, type } of typed) expect(operations).toMatch(new RegExp(`^\\| \`${name}\` \\| ${type} \\|`, 'm'));
  const cli = read('docs/cli.md');
  for (const { name, type } of typed) expect(cli).toContain(`--search-attribute ${name}=${type}`);
  const docker = read('docs/docker.md').split('\n').find((line) => line.startsWith('| `temporal-setup`'));
  for (const { name } of typed) expect(docker).toContain(`\`${name}\``);
});

test('docs/deploying.md gives the exact command that registers RemediationPhaseChangedAt before a deploy', () => {
  expect(registerSearchAttributeCommand(REMEDIATION_PHASE_CHANGED_AT)).toBe('temporal operator search-attribute create --name RemediationPhaseChangedAt --type Datetime');
  expect(read('docs/deploying.md')).toContain(registerSearchAttributeCommand(REMEDIATION_PHASE_CHANGED_AT));
});

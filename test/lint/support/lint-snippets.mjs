import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

// Lints planted snippets with the project's eslint.config.mjs through ESLint's Node API. Its own
// process because ESLint loads the flat config with import(), which Jest's module sandbox refuses
// (it would need --experimental-vm-modules for every suite).
const snippets = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../../..') });
const results = [];
for (const { code, filePath } of snippets) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push(result.messages.map(({ ruleId, message, severity }) => ({ ruleId, message, severity })));
}
process.stdout.write(JSON.stringify(results));

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * `local/no-import-cycles`: a file may not reach itself through relative imports, type-only ones
 * included (they still tie the two files' definitions together). The project has no
 * eslint-plugin-import-x; this is the small part of its `no-cycle` the project needs. The file
 * being linted is read from its source text, every other file from disk; `ts.preProcessFile`
 * lists a file's imports without type-checking it.
 */

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '/index.ts'];
const edgesOnDisk = new Map();

function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function relativeImports(file, text) {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolveRelative(file, specifier))
    .filter((target) => target !== undefined);
}

function importsOnDisk(file) {
  let edges = edgesOnDisk.get(file);
  if (!edges) {
    edges = relativeImports(file, readFileSync(file, 'utf8'));
    edgesOnDisk.set(file, edges);
  }
  return edges;
}

/** A path of files from `start` back to `target`, or undefined when there is none. */
function pathBack(start, target) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length) {
    const [file, trail] = stack.pop();
    if (file === target) return trail;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOnDisk(file)) stack.push([next, [...trail, next]]);
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow import cycles between the project’s own files' },
    schema: [],
    messages: { cycle: 'Import cycle: {{cycle}}. Move what both files need into a third module that both import.' },
  },
  create(context) {
    const file = path.resolve(context.filename);
    const cwd = context.cwd;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveRelative(file, specifier);
      if (!target || target === file) return;
      const trail = pathBack(target, file);
      if (trail) context.report({ node, messageId: 'cycle', data: { cycle: [file, ...trail].map((f) => path.relative(cwd, f)).join(' → ') } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

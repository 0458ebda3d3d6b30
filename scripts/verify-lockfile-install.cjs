#!/usr/bin/env node
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node without a build */
// Checks that node_modules holds exactly what package-lock.json locks: every locked package that
// should be installed is there at its locked version, and nothing unlocked was added. The Docker
// build runs it after `npm install --no-save` (see the Dockerfile for why not `npm ci`).
//
//   node scripts/verify-lockfile-install.cjs [--omit=dev] [project dir]
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const omitDev = args.includes('--omit=dev');
const root = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? '.');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const locked = Object.entries(lock.packages ?? {}).filter(([key]) => key.startsWith('node_modules/'));
const problems = [];

for (const [key, entry] of locked) {
  if (entry.link) continue;
  const wanted = !(omitDev && entry.dev);
  const manifest = path.join(root, key, 'package.json');
  if (!fs.existsSync(manifest)) {
    // Optional packages for other platforms are locked but never installed.
    if (wanted && !entry.optional && !entry.devOptional) problems.push(`missing ${key}@${entry.version}`);
    continue;
  }
  if (!wanted) problems.push(`${key} is a devDependency but installed`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (version !== entry.version) problems.push(`${key} is ${version}, the lockfile says ${entry.version}`);
}

// Everything installed must be locked: a package npm resolved on its own would show up here.
const lockedKeys = new Set(locked.map(([key]) => key));
function walk(dir, prefix) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const scoped of fs.readdirSync(path.join(dir, name))) visit(path.join(dir, name, scoped), `${prefix}${name}/${scoped}`);
    } else {
      visit(path.join(dir, name), `${prefix}${name}`);
    }
  }
}
function visit(dir, key) {
  if (!fs.existsSync(path.join(dir, 'package.json'))) return;
  if (!lockedKeys.has(key)) problems.push(`${key} is installed but not in the lockfile`);
  walk(path.join(dir, 'node_modules'), `${key}/node_modules/`);
}
walk(path.join(root, 'node_modules'), 'node_modules/');

if (problems.length) {
  process.stderr.write(`node_modules does not match package-lock.json:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`node_modules matches package-lock.json${omitDev ? ' (production dependencies)' : ''}\n`);

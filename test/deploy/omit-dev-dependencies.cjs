'use strict';
// Preloaded (`node --require`) into the compiled worker and sandbox by the production start test:
// a module that `npm install --omit=dev` would not install (a package the lockfile marks
// "dev": true) fails to load, as it would in the runtime image. BLOCK_DEV_DEPENDENCIES_ROOT is the
// project whose package-lock.json and node_modules are used.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const root = process.env.BLOCK_DEV_DEPENDENCIES_ROOT;
if (!root) throw new Error('BLOCK_DEV_DEPENDENCIES_ROOT is not set');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const devOnly = Object.entries(lock.packages)
  .filter(([key, entry]) => key.startsWith('node_modules/') && entry.dev)
  .map(([key]) => path.join(root, key) + path.sep);

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveProductionOnly(request, ...rest) {
  const filename = resolve.call(this, request, ...rest);
  if (devOnly.some((dir) => filename.startsWith(dir))) {
    const error = new Error(`Cannot find module '${request}': a devDependency, not installed in the runtime image`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return filename;
};

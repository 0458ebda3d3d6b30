# syntax=docker/dockerfile:1
#
# The remediation worker (default command) and the Moov sandbox (docker-compose.yml's `sandbox`
# profile runs `node dist/sandbox/main.js` from this image).
#
#   docker build -t moov-remediation-worker .
#
# No Docker engine exists on the machines this project is developed on: CI validates
# docker-compose.yml with `docker-compose config` and runs these steps without Docker
# (.ci/image-steps: the same installs, build, bundle and production start; see README "Deployment").

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, TypeScript → dist/, and the prebuilt workflow bundle -------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/verify-lockfile-install.cjs scripts/
# Why not `npm ci`: it refuses this lockfile on any network, before downloading anything, because
# the lockfile lacks entries for other platforms' optional binaries (e.g. @swc/core-darwin-arm64):
# the registry the lockfile was made against does not carry them. `npm install --no-save` installs
# the locked versions and writes nothing; the check after it fails the build if node_modules
# differs from the lockfile in any way. Once package-lock.json is regenerated with `npm install`
# against the public registry, `npm ci` works and can replace these two commands.
# --ignore-scripts: package.json's allowScripts denies every dependency install script (npm 11
# reads it; the npm 10 in this image does not, so scripts are skipped explicitly).
RUN npm install --no-save --ignore-scripts --no-audit --no-fund \
 && node scripts/verify-lockfile-install.cjs
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# dist/, then dist/workflow-bundle.js (+ manifest) bundled from the compiled dist/workflows, so the
# worker never runs webpack at start.
RUN npm run build && npm run build:bundle

# ---- runtime: production dependencies and dist/ only, as a non-root user ------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/verify-lockfile-install.cjs /tmp/
RUN npm install --omit=dev --no-save --ignore-scripts --no-audit --no-fund \
 && node /tmp/verify-lockfile-install.cjs --omit=dev \
 && rm /tmp/verify-lockfile-install.cjs \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's `node` user (uid 1000). It only reads: FILES_ROOT is mounted read-only.
USER node
# No HEALTHCHECK: a Temporal worker serves nothing to probe unless METRICS_BIND_ADDRESS turns on
# its Prometheus endpoint (then probe that, e.g. in compose). If the worker stops, the process
# exits, and the container with it. SIGTERM drains in-flight tasks before exiting.
CMD ["node", "dist/worker.js"]

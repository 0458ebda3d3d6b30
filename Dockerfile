# syntax=docker/dockerfile:1
#
# The remediation worker (default command) and the Moov sandbox (docker-compose.yml's `sandbox`
# profile runs `node dist/sandbox/main.js` from this image).
#
#   docker build -t moov-remediation-worker .
#
# No Docker engine exists on the machines this project is developed on: CI validates
# docker-compose.yml with `docker-compose config` and runs these steps without Docker
# (.ci/image-steps: the same installs, build, bundle and production start; see docs/docker.md).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, TypeScript → dist/, and the prebuilt workflow bundle -------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` installs exactly the lockfile and fails if package.json disagrees with it.
# --ignore-scripts: package.json's allowScripts denies every dependency install script (npm 11
# reads it; the npm 10 in this image does not, so scripts are skipped explicitly).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# dist/, then dist/workflow-bundle.js (+ manifest) bundled from the compiled dist/workflows, so the
# worker never runs webpack at start.
RUN npm run build && npm run build:bundle

# ---- runtime: production dependencies and dist/ only, as a non-root user ------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# The build this image is, e.g. `docker build --build-arg BUILD_ID=$(git rev-parse --short HEAD) .`:
# the worker joins Worker Deployment Versioning as that build (docs/deploying.md). Without it the
# variable is blank and the worker runs unversioned, as images before it did.
ARG BUILD_ID=
ENV TEMPORAL_WORKER_BUILD_ID=${BUILD_ID}
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's `node` user (uid 1000). It only reads: FILES_ROOT is mounted read-only.
USER node
# No HEALTHCHECK: a Temporal worker serves nothing to probe unless METRICS_BIND_ADDRESS turns on
# its Prometheus endpoint (then probe that, e.g. in compose). If the worker stops, the process
# exits, and the container with it. SIGTERM drains in-flight tasks before exiting.
CMD ["node", "dist/worker.js"]

#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and brings their
# schemas up to the version this admin-tools image ships, following Temporal's own compose setup
# (temporalio/samples-server compose/scripts/setup-postgres.sh). Safe to run on every
# `docker compose up`: `create` tolerates an existing database, `setup-schema -v 0.0` skips a
# database that is already past 0.0, and `update-schema` applies only newer versions.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
nc -z -w 10 "${POSTGRES_SEEDS}" "${DB_PORT}"

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="${SCHEMA_DIR}/temporal/versioned" ;;
    *) dir="${SCHEMA_DIR}/visibility/versioned" ;;
  esac
  echo "database ${db}: create, set up, update schema"
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -u "${POSTGRES_USER}" -p "${DB_PORT}" --db "$db" create
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -u "${POSTGRES_USER}" -p "${DB_PORT}" --db "$db" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -u "${POSTGRES_USER}" -p "${DB_PORT}" --db "$db" update-schema -d "$dir"
done
echo "PostgreSQL schema setup complete"

# What scripts/backup.sh and scripts/restore.sh share (sourced, not run): reaching the
# database in either mode, the schema version and its migration names, and the manifest.
# Expects $root (the checkout) and a fail function.
# shellcheck shell=sh
# shellcheck disable=SC2016,SC2317 # container-side expansion; run_sql is called by the sourcing script.

# docker compose (v2), or docker-compose (v1) where that is what is installed; COMPOSE overrides.
compose() {
  if [ -n "${COMPOSE:-}" ]; then
    # shellcheck disable=SC2086 # COMPOSE is a command with arguments, e.g. "docker compose".
    $COMPOSE "$@"
  elif docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  else
    docker-compose "$@"
  fi
}

use_compose() {
  [ -f docker-compose.yml ] || fail "no docker-compose.yml here: run from the directory of the stack, or pass --native."
  command -v docker >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || [ -n "${COMPOSE:-}" ] ||
    fail "neither docker nor docker-compose is installed (or set COMPOSE)."
  run_sql() { compose exec -T postgres sh -c 'psql -X -q -A -t -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'; }
}

use_native() {
  # As scripts/serve.sh builds it when only DB_HOST and the password file are given.
  if [ -z "${DATABASE_URL:-}" ]; then
    [ -n "${DB_HOST:-}" ] || fail "DATABASE_URL is not set (or DB_HOST, DB_NAME, DB_USER and DB_PASSWORD_FILE)."
    password=""
    if [ -n "${DB_PASSWORD_FILE:-}" ]; then password=$(cat "$DB_PASSWORD_FILE") || fail "cannot read DB_PASSWORD_FILE."; fi
    DATABASE_URL="postgres://${DB_USER:-chatalot}:${password}@${DB_HOST}:${DB_PORT:-5432}/${DB_NAME:-chatalot}"
  fi
  for tool in psql pg_dump pg_restore; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail "psql, pg_dump and pg_restore are needed in native mode (Debian: apt-get install postgresql-client)."
  done
  run_sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$DATABASE_URL"; }
}

# The newest applied migration's timestamp (drizzle's created_at: the journal's "when").
# (Read whole first: a pipe's status is its last command's, so psql's failure would be lost.)
schema_migration() {
  applied=$(echo 'select coalesce(max(created_at), 0) from drizzle.__drizzle_migrations;' | run_sql) || return 1
  echo "$applied" | tr -d '[:space:]'
}

journal="${root:?}/db/migrations/meta/_journal.json"

# The newest migration this checkout knows (its "when").
newest_known_migration() {
  [ -r "$journal" ] || fail "$journal is missing: run this script from a Chatalot checkout."
  sed -n 's/^ *"when": *\([0-9]*\),*$/\1/p' "$journal" | sort -n | tail -n 1
}

# The tag (file name) of the migration applied at a "when", or "unknown" (a newer version's).
migration_tag() {
  [ -r "$journal" ] || {
    echo unknown
    return
  }
  tag=$(awk -v when="$1" '$0 ~ "\"when\": *" when "," { found = 1; next } found && /"tag"/ { gsub(/.*"tag": *"|".*/, ""); print; exit }' "$journal")
  echo "${tag:-unknown}"
}

file_bytes() { wc -c <"$1" | tr -d ' '; }
file_sha256() { sha256sum "$1" | cut -d ' ' -f 1; }

# write_manifest DIR CREATED_AT MODE MEMBER...: DIR/manifest.json, one member to a line
# (restore.sh reads it with sed: keep the layout).
write_manifest() {
  dir=$1
  at=$2
  how=$3
  shift 3
  version=$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' "$root/package.json" 2>/dev/null)
  {
    echo '{'
    echo '  "format": 1,'
    echo "  \"chatalot\": \"${version:-unknown}\","
    echo "  \"schemaMigration\": { \"tag\": \"$(migration_tag "$at")\", \"createdAt\": $at },"
    echo "  \"createdAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"mode\": \"$how\","
    echo '  "members": ['
    separator=','
    for member in "$@"; do
      [ "$member" = "$(eval "echo \${$#}")" ] && separator=''
      echo "    { \"name\": \"$member\", \"bytes\": $(file_bytes "$dir/$member"), \"sha256\": \"$(file_sha256 "$dir/$member")\" }$separator"
    done
    echo '  ]'
    echo '}'
  } >"$dir/manifest.json"
}

#!/bin/sh
# The postgres STAND-IN's entrypoint: what the official image's does for Chatalot's compose
# file. On an empty data directory: initdb with POSTGRES_USER as the superuser and the
# password from POSTGRES_PASSWORD_FILE (read here as root, as the official image does),
# POSTGRES_DB created, password sign-in over TCP; then PostgreSQL as the postgres user.
set -eu
[ "$1" = postgres ] || exec "$@"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 0700 "$PGDATA"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password_file=$(mktemp)
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then cat "$POSTGRES_PASSWORD_FILE" >"$password_file"; else printf '%s' "${POSTGRES_PASSWORD:-}" >"$password_file"; fi
  [ -s "$password_file" ] || { echo "postgres stand-in: no password given" >&2; exit 1; }
  chown postgres "$password_file"
  as_postgres initdb --username="$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  if [ "$database" != postgres ]; then
    echo "CREATE DATABASE \"$database\";" | as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "postgres stand-in: initialised $database for $user"
fi
shift
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -c listen_addresses="*" "$@"

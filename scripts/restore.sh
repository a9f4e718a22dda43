#!/bin/sh
# Restores an archive of scripts/backup.sh into a fresh stack: the database, the upload
# directory and the room storage.
#
#   scripts/restore.sh ARCHIVE [--native] [--force] [--no-start]
#
# Before anything is touched it checks every member against the manifest's sha256, and
# that the archive's schema is not newer than this checkout's migrations (an older one is
# migrated forward by the server's normal start-up). Unless --force, it refuses a database
# with accounts or with tables that are not Chatalot's, an upload directory with files,
# and (native) a room directory holding anything but room storage. The database is replaced in
# one transaction. Compose mode (default, next to docker-compose.yml) stops the server,
# restores, and starts it again (not with --no-start); --native uses DATABASE_URL,
# UPLOAD_DIR and ROOM_STORAGE_DIR, and the server must be stopped first. secrets/ is not
# in the archive: the instance needs the same secrets/ it was backed up with.
# shellcheck disable=SC2016 # $POSTGRES_USER and the like expand inside the containers.
set -eu
# The unpacked archive (password hashes, key backups) is for this user alone; what goes
# into the instance's directories gets the umask the script was started with.
instance_umask=$(umask)
umask 077

fail() {
  echo "restore: $*" >&2
  exit 1
}

usage() {
  echo "usage: scripts/restore.sh ARCHIVE [--native] [--force] [--no-start]" >&2
  exit 64 # EX_USAGE
}

mode=compose
force=false
start=true
archive=""
while [ $# -gt 0 ]; do
  case "$1" in
    --native) mode=native ;;
    --force) force=true ;;
    --no-start) start=false ;;
    -h | --help) usage ;;
    -*)
      echo "restore: unknown argument: $1" >&2
      usage
      ;;
    *)
      [ -z "$archive" ] || usage
      archive=$1
      ;;
  esac
  shift
done
[ -n "$archive" ] || usage
if [ ! -f "$archive" ] || [ ! -r "$archive" ]; then fail "$archive: no such readable file."; fi

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/backup-common.sh
. "$root/scripts/backup-common.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/chatalot-restore-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# 1. The archive: a manifest, and every member it lists with the size and sha256 it says.
tar -C "$work" -xf "$archive" 2>/dev/null || fail "$archive is not a readable tar archive (truncated or not a backup)."
manifest="$work/manifest.json"
[ -f "$manifest" ] || fail "$archive has no manifest.json: not an archive of scripts/backup.sh."
grep -q '^  "format": 1,$' "$manifest" || fail "$archive's manifest is of an unknown format."
for required in database.dump uploads.tar rooms.tar; do
  grep -q "\"name\": \"$required\"" "$manifest" || fail "$archive's manifest does not list $required."
done
sed -n 's/^    { "name": "\([^"]*\)", "bytes": \([0-9]*\), "sha256": "\([0-9a-f]*\)" },*$/\1 \2 \3/p' "$manifest" |
  while read -r name bytes sum; do
    [ -f "$work/$name" ] || fail "$name is listed in the manifest but missing from $archive."
    [ "$(file_bytes "$work/$name")" = "$bytes" ] && [ "$(file_sha256 "$work/$name")" = "$sum" ] ||
      fail "$name in $archive does not match its checksum: the archive is damaged. Nothing was changed."
  done || exit 1

# 2. The schema: never newer than the migrations this checkout (and its server) knows.
archived=$(sed -n 's/.*"schemaMigration": { "tag": "[^"]*", "createdAt": \([0-9]*\) },$/\1/p' "$manifest")
[ -n "$archived" ] || fail "$archive's manifest names no schema migration."
archived_tag=$(sed -n 's/.*"schemaMigration": { "tag": "\([^"]*\)".*/\1/p' "$manifest")
archived_version=$(sed -n 's/^  "chatalot": "\([^"]*\)",$/\1/p' "$manifest")
known=$(newest_known_migration) || exit 1
[ "$archived" -le "$known" ] ||
  fail "$archive was made by a newer Chatalot ($archived_version, schema $archived_tag) than this one knows ($(migration_tag "$known")): restore it with that version or newer. Nothing was changed."

# 3. The target, in either mode: the database, the upload directory, the room storage.
if [ "$mode" = compose ]; then
  use_compose
  upload_dir=./data/uploads
  # `start` where the container exists: it touches no network (an `up` of an existing stack
  # may want to recreate them, and some engines refuse); `up` only for a service never created.
  container_of() { compose ps -a -q "$1" 2>/dev/null | head -n 1; }
  start_service() {
    if [ -n "$(container_of "$1")" ]; then compose start "$1"; else compose up -d "$1"; fi
  }
  start_service postgres >/dev/null || fail "cannot start PostgreSQL (docker compose start postgres)."
  tries=0
  until compose exec -T postgres sh -c 'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"' 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || fail "PostgreSQL did not become ready within 60 s."
    sleep 1
  done
  pg_restore_sql() { compose exec -T postgres pg_restore --no-owner --no-privileges -f - <"$work/database.dump"; }
  run_sql_quietly() { compose exec -T postgres sh -c 'psql -X -q -v ON_ERROR_STOP=1 --single-transaction -U "$POSTGRES_USER" -d "$POSTGRES_DB" >/dev/null'; }
  # The room volume is the server's: a one-off container of the server's image, as its user
  # and without a network, fills the volume the (stopped) server container mounts.
  fill_rooms() {
    server=$(container_of chatalot)
    if [ -z "$server" ]; then
      compose up --no-start chatalot >/dev/null && server=$(container_of chatalot)
    fi
    [ -n "$server" ] || return 1
    volume=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "/data/rooms"}}{{.Name}}{{end}}{{end}}' "$server")
    image=$(docker inspect --format '{{.Image}}' "$server")
    [ -n "$volume" ] && [ -n "$image" ] || return 1
    docker run --rm -i --network none --user 10001:10001 -v "$volume:/data/rooms" --entrypoint sh "$image" \
      -c 'find /data/rooms -mindepth 1 -delete && tar -C /data/rooms -xf -' <"$work/rooms.tar"
  }
else
  use_native
  upload_dir=${UPLOAD_DIR:-/data/uploads}
  room_dir=${ROOM_STORAGE_DIR:-/data/rooms}
  pg_restore_sql() { pg_restore --no-owner --no-privileges -f - "$work/database.dump"; }
  run_sql_quietly() { psql -X -q -v ON_ERROR_STOP=1 --single-transaction "$DATABASE_URL" >/dev/null; }
  fill_rooms() {
    (umask "$instance_umask" && mkdir -p "$room_dir" && find "$room_dir" -mindepth 1 -delete && tar -C "$room_dir" -xf "$work/rooms.tar")
  }
  # Room storage is a directory per Durable Object class holding SQLite files; anything else
  # there means ROOM_STORAGE_DIR names some other directory, which the restore would empty.
  foreign_room_entry() {
    [ -d "$room_dir" ] || return 0
    {
      find "$room_dir" -mindepth 1 -maxdepth 1 ! -type d
      find "$room_dir" -mindepth 2 -maxdepth 2 \( ! -type f -o \( ! -name '*.sqlite' ! -name '*.sqlite-wal' ! -name '*.sqlite-shm' \) \)
      find "$room_dir" -mindepth 3
    } 2>/dev/null | head -n 1
  }
fi

# What the target holds. The restore drops the schemas public and drizzle whole, so without
# --force it only replaces an empty database or a Chatalot one without accounts (a fresh
# stack whose server has started once); Chatalot's is told by its migrations, every one of
# which this checkout's journal names (another app's drizzle migrations have other times).
tables=$(echo "select count(*) from pg_tables where schemaname in ('public', 'drizzle');" | run_sql) ||
  fail "cannot reach the target database."
accounts=0
if [ "$tables" != 0 ]; then
  known_whens=$(sed -n 's/^ *"when": *\([0-9]*\),*$/\1/p' "$journal" | tr '\n' ',' | sed 's/,$//')
  is_chatalot=$(echo "select to_regclass('public.users') is not null and to_regclass('drizzle.__drizzle_migrations') is not null;" | run_sql) ||
    fail "cannot read the target database's tables."
  if [ "$is_chatalot" = t ]; then
    foreign=$(echo "select count(*) from drizzle.__drizzle_migrations where created_at not in (${known_whens:-0});" | run_sql) ||
      fail "cannot read the target database's migrations."
    [ "$foreign" = 0 ] || is_chatalot=f
  fi
  if [ "$is_chatalot" = t ]; then
    accounts=$(echo "select count(*) from users;" | run_sql) || fail "cannot count the target database's accounts."
  fi
fi
if [ "$force" = false ]; then
  [ "$tables" = 0 ] || [ "$is_chatalot" = t ] ||
    fail "the target database holds $tables table(s) that are not a Chatalot schema this checkout knows: is DATABASE_URL the right database? Restore into an empty one, or pass --force to drop the schemas public and drizzle in it. Nothing was changed."
  [ "$accounts" = 0 ] ||
    fail "the target database already holds $accounts account(s): restore into a fresh stack, or pass --force to replace everything in it. Nothing was changed."
  [ ! -d "$upload_dir" ] || [ -z "$(ls -A "$upload_dir")" ] ||
    fail "the upload directory $upload_dir is not empty: restore into a fresh stack, or pass --force. Nothing was changed."
  if [ "$mode" = native ]; then
    entry=$(foreign_room_entry)
    [ -z "$entry" ] ||
      fail "ROOM_STORAGE_DIR=$room_dir holds $entry, which is not room storage: is it the right directory? Pass --force to empty it. Nothing was changed."
  fi
fi

# 4. Restore. The server must not run meanwhile: under compose it is stopped here.
if [ "$mode" = compose ]; then compose stop chatalot >/dev/null 2>&1 || true; fi
echo "restore: restoring the database (schema $archived_tag, from Chatalot $archived_version)" >&2
# One transaction: the old schema goes and the archived one arrives, or nothing changes.
{
  echo 'drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;'
  # A dump pg_restore cannot read ends the transaction in an error, so it is rolled back.
  pg_restore_sql || echo "do \$\$ begin raise exception 'pg_restore could not read the dump'; end \$\$;"
} | run_sql_quietly || fail "the database could not be restored (see above); it is as it was before."

echo "restore: restoring uploads into $upload_dir and the room storage" >&2
if ! (umask "$instance_umask" && mkdir -p "$upload_dir" && find "$upload_dir" -mindepth 1 -delete && tar -C "$upload_dir" -xpf "$work/uploads.tar"); then
  fail "the database was restored, but the uploads could not be written to $upload_dir."
fi
fill_rooms || fail "the database and uploads were restored, but the room storage could not be written."

if [ "$mode" = compose ] && [ "$start" = true ]; then
  # `up` recreates the container when its image changed (update.sh's rollback retags the
  # previous one); where an engine refuses `up` on an existing stack, the container starts as it is.
  compose up -d chatalot >/dev/null 2>&1 || compose start chatalot >/dev/null ||
    fail "restored, but the server did not start: docker compose up -d chatalot."
  echo "restore: the server is starting; it applies any newer migrations itself (docker compose logs -f chatalot)." >&2
else
  echo "restore: start the server now; it applies any newer migrations itself." >&2
fi
echo "restored $archive"

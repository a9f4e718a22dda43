#!/bin/sh
# A consistent backup of a running Chatalot: the database (pg_dump, custom format, one
# snapshot), the upload directory and the room storage (each room's SQLite), in one tar
# with manifest.json (version, schema migration, time, sizes, sha256 of each member).
# secrets/ is NOT copied: it must go offsite separately (see SECRETS.txt in the archive).
#
#   scripts/backup.sh [--native] [--out DIR] [--keep N]
#
# Compose mode (default) runs next to docker-compose.yml and reaches into the running
# stack; --native uses DATABASE_URL, UPLOAD_DIR and ROOM_STORAGE_DIR as scripts/serve.sh
# names them. The archive appears whole or not at all (written aside, then renamed); the
# oldest archives past the last N (default 7) are then removed. The last line printed is
# the archive's path. README.md, "Backups", says what each part holds and how to restore.
# shellcheck disable=SC2016 # $POSTGRES_USER and the like expand inside the containers.
set -eu
# The archive holds every password hash and key backup: nothing this script writes is for others.
umask 077

fail() {
  echo "backup: $*" >&2
  exit 1
}

usage() {
  echo "usage: scripts/backup.sh [--native] [--out DIR] [--keep N]" >&2
  exit 64 # EX_USAGE
}

mode=compose
out=./backups
keep=7
while [ $# -gt 0 ]; do
  case "$1" in
    --native) mode=native ;;
    --out)
      [ $# -ge 2 ] || usage
      out=$2
      shift
      ;;
    --keep)
      [ $# -ge 2 ] || usage
      keep=$2
      shift
      ;;
    -h | --help) usage ;;
    *)
      echo "backup: unknown argument: $1" >&2
      usage
      ;;
  esac
  shift
done
case "$keep" in
  '' | *[!0-9]*) fail "--keep takes a whole number of archives (at least 1), not '$keep'." ;;
esac
[ "$keep" -ge 1 ] || fail "--keep takes a whole number of archives (at least 1), not '$keep'."

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/backup-common.sh
. "$root/scripts/backup-common.sh"

# The three ways in, by mode. Each streams to stdout; nothing is written to the instance.
if [ "$mode" = compose ]; then
  use_compose
  dump_database() { compose exec -T postgres sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" --format=custom'; }
  # From the running server; when it is stopped (scripts/update.sh stops it first), from its
  # volume, through a one-off container of its image without a network, read-only.
  stream_rooms() {
    server=$(compose ps -a -q chatalot 2>/dev/null | head -n 1)
    [ -n "$server" ] || return 1
    if [ "$(docker inspect --format '{{.State.Running}}' "$server")" = true ]; then
      compose exec -T chatalot tar -C /data/rooms -cf - .
      return
    fi
    volume=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "/data/rooms"}}{{.Name}}{{end}}{{end}}' "$server") || return 1
    image=$(docker inspect --format '{{.Image}}' "$server") || return 1
    [ -n "$volume" ] && [ -n "$image" ] || return 1
    docker run --rm --network none --user 10001:10001 -v "$volume:/data/rooms:ro" --entrypoint tar "$image" -C /data/rooms -cf - .
  }
  upload_dir=./data/uploads
else
  use_native
  dump_database() { pg_dump --format=custom "$DATABASE_URL"; }
  stream_rooms() { tar -C "$room_dir" -cf - .; }
  upload_dir=${UPLOAD_DIR:-/data/uploads}
  room_dir=${ROOM_STORAGE_DIR:-/data/rooms}
  [ -d "$room_dir" ] || fail "ROOM_STORAGE_DIR=$room_dir is not a directory."
fi
[ -d "$upload_dir" ] || fail "the upload directory $upload_dir does not exist (UPLOAD_DIR, or ./data/uploads under compose)."

if [ ! -d "$out" ]; then
  mkdir -p "$out" || fail "cannot create the output directory $out."
  chmod 700 "$out" || fail "cannot make $out private."
fi
# Work inside the output directory, so the final rename stays on one file system (atomic).
work=$(mktemp -d "$out/.backup-XXXXXX") || fail "cannot write in $out."
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# 1. The schema version, then the database. pg_dump reads one snapshot: every message
#    acknowledged before it began is in it, whatever is sent meanwhile.
created_at=$(schema_migration) || fail "cannot read the schema version: is the database up, and is it Chatalot's?"
[ -n "$created_at" ] || fail "the database holds no applied migrations: nothing to back up."
dump_database >"$work/database.dump" || fail "pg_dump failed (see above); no archive was written."
[ -s "$work/database.dump" ] || fail "pg_dump wrote nothing; no archive was written."

# 2. Uploads, after the dump: every file a dumped message names was stored before its row.
#    Files are written whole and renamed into place by the server, so each is complete.
tar -C "$upload_dir" -cf "$work/uploads.tar" . || fail "cannot read the upload directory $upload_dir."

# 3. Room storage. Each SQLite file is copied with its write-ahead log while the server
#    writes; the copy is then checked and folded into one file (sqlite3 on this machine).
#    A copy caught mid-checkpoint fails the check and is taken again.
#    Called as a condition, so set -e is off inside: every step's status is checked by hand,
#    and the stream goes to a file first (a pipe's status would be only the last tar's).
copy_rooms() {
  rm -rf "$work/rooms" "$work/rooms-stream.tar" && mkdir "$work/rooms" || return 1
  stream_rooms >"$work/rooms-stream.tar" || return 1
  tar -C "$work/rooms" -xf "$work/rooms-stream.tar" || return 1
  rm -f "$work/rooms-stream.tar" || return 1
  command -v sqlite3 >/dev/null 2>&1 || return 0
  # Stale shared-memory indexes from the live server must not be trusted: SQLite rebuilds them.
  find "$work/rooms" -name '*.sqlite-shm' -exec rm -f {} + || return 1
  find "$work/rooms" -name '*.sqlite' | while read -r file; do
    [ "$(sqlite3 "$file" 'pragma integrity_check;' 2>&1)" = ok ] || exit 1
    sqlite3 "$file" 'pragma wal_checkpoint(TRUNCATE);' >/dev/null || exit 1
  done
}
attempt=1
until copy_rooms; do
  [ "$attempt" -lt 3 ] || fail "the room storage could not be copied consistently in 3 tries."
  attempt=$((attempt + 1))
done
command -v sqlite3 >/dev/null 2>&1 || echo "backup: sqlite3 is not installed here: room storage copied as it was on disk, unchecked." >&2
tar -C "$work/rooms" -cf "$work/rooms.tar" . || fail "cannot pack the room storage; no archive was written."
rm -rf "$work/rooms" || fail "cannot clear the working copy in $work."

cat >"$work/SECRETS.txt" <<'EOF'
This archive does not hold secrets/ (database password, signing keys, the TOTP
encryption key, the TURN secret, the VAPID key). Keep a copy of secrets/ offsite,
apart from these archives. Restored without the same secrets/, everyone is signed
out and every stored two-factor secret is unreadable (README.md, "Backups").
EOF

# 4. The manifest, then the archive, renamed into place only when whole.
write_manifest "$work" "$created_at" "$mode" database.dump uploads.tar rooms.tar SECRETS.txt
name=chatalot-backup-$(date -u +%Y%m%dT%H%M%SZ).tar
while [ -e "$out/$name" ]; do
  sleep 1
  name=chatalot-backup-$(date -u +%Y%m%dT%H%M%SZ).tar
done
tar -C "$work" -cf "$work/archive.tar" manifest.json database.dump uploads.tar rooms.tar SECRETS.txt ||
  fail "cannot write the archive in $out."
# umask made it 0600 already; said again, in case the umask was not honoured (some mounts).
chmod 600 "$work/archive.tar" || fail "cannot make the archive private."
mv "$work/archive.tar" "$out/$name" || fail "cannot move the archive into $out."

# 5. Retention: the newest N archives stay (names sort by time).
for archive in "$out"/chatalot-backup-[0-9]*T[0-9]*Z.tar; do
  [ -f "$archive" ] && echo "$archive"
done | sort -r | tail -n +"$((keep + 1))" | while read -r old; do rm -f "$old"; done

echo "backup: secrets/ is not in the archive: keep it offsite separately." >&2
echo "$(cd "$out" && pwd)/$name"

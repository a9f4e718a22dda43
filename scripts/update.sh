#!/bin/sh
# Updates a Docker Compose install of Chatalot, and puts the previous version back if the
# new one does not come up healthy.
#
#   scripts/update.sh [--no-pull]
#
# 1. Fetches the new code (git pull --ff-only; --no-pull when the tree is already updated).
# 2. Tags the image the running container uses as chatalot:previous, then builds the new
#    chatalot:local with its git commit baked in (the admin page shows it). CHATALOT_IMAGE
#    renames both.
# 3. Stops the server and takes a backup with scripts/backup.sh (into ./backups, the last
#    seven kept): stopped, so no write lands after the backup's snapshot that a rollback's
#    restore would lose. The server is down from here until step 4's start.
# 4. Starts the new server, which migrates the database, and polls its /health from inside
#    the container until it says "ok" (UPDATE_HEALTH_TIMEOUT_SECS, default 180), and the
#    container answering runs the image just built.
# 5. If not: puts chatalot:previous back as chatalot:local and starts it; if the schema
#    changed meanwhile (migrations applied, then the server failed), the backup is
#    restored first, because the previous version does not know the newer schema. A
#    migration that fails is rolled back by the server itself, so the schema is unchanged.
#    When the script pulled, the checkout goes back to the commit that ran before.
#
# Exit status: 0 updated; 1 nothing changed (the old version still runs); 2 rolled back,
# the old version serves again; 3 the rollback failed too, which needs a person now.
# README.md, "Updating", has the same steps by hand.
set -eu

say() { echo "update: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

usage() {
  echo "usage: scripts/update.sh [--no-pull]" >&2
  exit 64 # EX_USAGE
}

pull=true
while [ $# -gt 0 ]; do
  case "$1" in
    --no-pull) pull=false ;;
    -h | --help) usage ;;
    *)
      say "unknown argument: $1"
      usage
      ;;
  esac
  shift
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# compose(), use_compose and schema_migration, shared with the backup scripts.
# shellcheck source=scripts/backup-common.sh
. "$root/scripts/backup-common.sh"
use_compose

# The image docker-compose.yml builds (CHATALOT_IMAGE, from the environment or .env, as
# Compose reads it), and where the running one is kept for a rollback.
[ -n "${CHATALOT_IMAGE:-}" ] || CHATALOT_IMAGE=$(sed -n 's/^CHATALOT_IMAGE=//p' .env 2>/dev/null | tail -n 1)
image=${CHATALOT_IMAGE:-chatalot:local}
previous=${image%:*}:previous
health_timeout=${UPDATE_HEALTH_TIMEOUT_SECS:-180}
case "$health_timeout" in '' | *[!0-9]*) fail "UPDATE_HEALTH_TIMEOUT_SECS must be a whole number of seconds." ;; esac

# The container's /health answer ("" while it cannot answer), and its state and restarts.
health() { compose exec -T chatalot curl -sS --max-time 5 http://127.0.0.1:8080/health 2>/dev/null || true; }
container_state() {
  id=$(compose ps -q chatalot 2>/dev/null | head -n 1)
  [ -n "$id" ] || {
    echo "missing 0"
    return
  }
  docker inspect --format '{{.State.Status}} {{.RestartCount}}' "$id" 2>/dev/null || echo "missing 0"
}
version_of() { sed -n 's/.*"version":"\([^"]*\)".*/\1/p'; }
# The image id the chatalot container runs ("" when there is none), without the "sha256:"
# Docker puts before it and Podman does not.
running_image() {
  id=$(compose ps -q chatalot 2>/dev/null | head -n 1)
  [ -n "$id" ] || return 0
  docker inspect --format '{{.Image}}' "$id" 2>/dev/null | sed 's/^sha256://'
}

# Polls until /health says ok (0), or the server exits or restarts, or time runs out (1).
wait_for_health() {
  deadline=$(($(date +%s) + health_timeout))
  # shellcheck disable=SC2046 # two words: the state and the restart count
  set -- $(container_state)
  restarts=${2:-0}
  while [ "$(date +%s)" -lt "$deadline" ]; do
    answer=$(health)
    case "$answer" in *'"status":"ok"'*)
      echo "$answer"
      return 0
      ;;
    esac
    # shellcheck disable=SC2046
    set -- $(container_state)
    # The entrypoint exits when start-up is refused (a failed migration, bad settings);
    # the restart policy then starts it again: either way it is not coming up.
    if [ "$1" = exited ] || [ "$1" = dead ] || [ "${2:-0}" -gt "$restarts" ]; then return 1; fi
    sleep 2
  done
  return 1
}

# 0. Preconditions: every secret the compose file mounts exists (a newer release may need a
#    new one), and the stack runs, so the backup and the comparison have something to read.
for secret in $(sed -n 's|^ *file: \./secrets/\(.*\)$|\1|p' docker-compose.yml); do
  [ -f "secrets/$secret" ] ||
    fail "secrets/$secret is missing: run 'sudo CHATALOT_UID=10001 scripts/generate-secrets.sh' (README.md, step 2) first. Nothing was changed."
done
before=$(health)
before_version=$(echo "$before" | version_of)
[ -n "$before_version" ] ||
  fail "the server is not answering /health: start it first (docker compose up -d), so there is a version to come back to. Nothing was changed."
before_schema=$(schema_migration) || fail "cannot read the schema version from PostgreSQL. Nothing was changed."
before_commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
before_branch=$(git symbolic-ref --short -q HEAD 2>/dev/null || echo "")

# 1. Fetch.
if [ "$pull" = true ]; then
  say "fetching the new code (git pull --ff-only)"
  git pull --ff-only >&2 || fail "git pull --ff-only failed (local changes, or a diverged branch?). Nothing was changed."
fi
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo "")
[ "$commit" != "$before_commit" ] || say "no new commits since $before_commit: rebuilding the same code"

# 2. Keep the image the running container uses (the tag may name a newer build that never
#    ran), build the new one.
old_image=$(running_image)
[ -n "$old_image" ] ||
  fail "cannot tell which image the running chatalot container uses: is this the directory of the running stack? Nothing was changed."
docker tag "$old_image" "$previous" || fail "cannot tag the running image as $previous. Nothing was changed."
say "kept the running image as $previous; building the new one (commit ${commit:-unknown})"
if ! compose build --build-arg "CHATALOT_COMMIT=$commit" chatalot >&2; then
  docker tag "$previous" "$image"
  fail "the build failed (see above). Nothing was changed: Chatalot $before_version still runs."
fi
new_image=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null | sed 's/^sha256://')
[ -n "$new_image" ] || {
  docker tag "$previous" "$image"
  fail "the build left no $image image. Nothing was changed: Chatalot $before_version still runs."
}

# 3. Stop the old version, then back up: a write after the backup's snapshot would be lost
#    if a rollback has to restore it. The server is down from here until step 4 starts it.
say "stopping the server for the backup (scripts/backup.sh); it is down until the new version starts"
compose stop chatalot >&2 || {
  docker tag "$previous" "$image"
  fail "cannot stop the server (see above). Nothing was changed: Chatalot $before_version still runs."
}
if ! archive=$("$root/scripts/backup.sh" | tail -n 1) || [ ! -f "$archive" ]; then
  docker tag "$previous" "$image"
  compose start chatalot >&2 || {
    say "the backup failed, and the old server did not start again: docker compose up -d chatalot. Stopped."
    exit 3
  }
  fail "the backup failed (see above), so the update stopped. Nothing was changed: Chatalot $before_version runs again."
fi
say "backup: $archive"

# 4. Start the new version and wait for it. A failed `up` is a failed update, and only the
#    new build answering counts (an old container left running would answer "ok" too).
say "starting the new version; it applies any new database migrations first"
if compose up -d chatalot >&2; then
  if after=$(wait_for_health); then
    serving=$(running_image)
    if [ "$serving" = "$new_image" ]; then
      say "updated Chatalot $before_version to $(echo "$after" | version_of) (commit ${commit:-unknown}): healthy."
      say "the previous image stays as $previous and the backup in $archive until you remove them."
      exit 0
    fi
    say "the container answering runs image ${serving:-none}, not the new build $new_image."
  else
    say "the new version did not become healthy within ${health_timeout}s."
  fi
else
  say "docker compose up -d chatalot failed (see above)."
fi

# 5. Roll back.
# The checkout goes back to the commit that ran, so a later `docker compose up --build`
# does not build the failed version again (only when this script pulled).
return_checkout() {
  [ "$pull" = true ] && [ "$commit" != "$before_commit" ] || return 0
  if git checkout -q "$before_commit" 2>/dev/null; then
    say "the checkout is back at $before_commit, the version that ran (detached HEAD); once the cause is fixed, 'git checkout ${before_branch:-<branch>}' and run this script again."
  else
    say "could not check out $before_commit: do 'git checkout $before_commit' before any 'docker compose up --build'."
  fi
}
say "the new version is not serving. Its last words:"
compose logs --tail 20 chatalot >&2 2>&1 || true
after_schema=$(schema_migration 2>/dev/null || echo unknown)
say "rolling back to the previous image (Chatalot $before_version)"
docker tag "$previous" "$image" || {
  say "cannot tag $previous back as $image: do it by hand (README.md, Updating). Stopped."
  return_checkout
  exit 3
}
if [ "$after_schema" != "$before_schema" ]; then
  say "the database schema changed ($(migration_tag "$before_schema") -> $(migration_tag "$after_schema")): restoring the backup taken just before"
  "$root/scripts/restore.sh" --force "$archive" >&2 || {
    say "restoring $archive failed: restore it by hand (scripts/restore.sh --force $archive). Stopped."
    return_checkout
    exit 3
  }
else
  say "the database schema is unchanged, so the data needs no restore"
  compose up -d chatalot >&2 || true
fi
if wait_for_health >/dev/null && [ "$(running_image)" = "$old_image" ]; then
  return_checkout
  say "rolled back: Chatalot $before_version serves again. Fix the cause above before updating again."
  exit 2
fi
return_checkout
say "the previous version did not become healthy either: see 'docker compose logs chatalot' and README.md, Updating. Backup: $archive"
exit 3

#!/bin/sh
# Chatalot's production entrypoint (the Docker image's, and `npm run start:production`'s).
# 1. Reads secrets from files (*_FILE variables) and builds DATABASE_URL if it is not set.
# 2. Starts workerd with workerd/chatalot.capnp twice: the server (its `server`
#    configuration), and the password hasher it hands scrypt work to (`hasherProcess`).
# 3. Asks the server to validate its configuration and apply migrations; if that fails
#    it stops with the reason instead of serving a half-configured or half-migrated server.
set -eu

fail() {
  echo "chatalot: $*" >&2
  exit 78 # EX_CONFIG
}

# read_secret VAR FILE_VAR: VAR takes the contents of the file named by FILE_VAR, when set.
read_secret() {
  var=$1
  file_var=$2
  eval "file=\${$file_var:-}"
  [ -n "$file" ] || return 0
  [ -r "$file" ] || fail "$file_var=$file: file not found or unreadable (by uid $(id -u)). Run scripts/generate-secrets.sh, or fix the path; under Docker the file must be readable by uid 10001 (see CHATALOT_UID in README.md)."
  eval "$var=\$(cat \"\$file\")"
  export "$var"
}

read_secret JWT_PRIVATE_KEY JWT_PRIVATE_KEY_FILE
read_secret TOTP_ENCRYPTION_KEY TOTP_ENCRYPTION_KEY_FILE
read_secret DB_PASSWORD DB_PASSWORD_FILE
read_secret TOTP_ENCRYPTION_KEY_VERSION TOTP_ENCRYPTION_KEY_VERSION_FILE
# The TURN relay's shared secret (secrets/turn_secret): unset, calls get STUN only.
read_secret TURN_SECRET TURN_SECRET_FILE
# The VAPID key that signs Web Push (secrets/vapid_private.pem): unset, no pushes are sent.
read_secret VAPID_PRIVATE_KEY VAPID_PRIVATE_KEY_FILE
# The bearer token Prometheus sends to /metrics (secrets/metrics_token): unset, only METRICS_ALLOWED_ADDRESSES.
read_secret METRICS_TOKEN METRICS_TOKEN_FILE
# Retired TOTP keys, one `version:hex` per line (scripts/rotate-totp-key.sh), as a comma list.
if [ -n "${TOTP_ENCRYPTION_KEYS_RETIRED_FILE:-}" ]; then
  [ -r "$TOTP_ENCRYPTION_KEYS_RETIRED_FILE" ] || fail "TOTP_ENCRYPTION_KEYS_RETIRED_FILE=$TOTP_ENCRYPTION_KEYS_RETIRED_FILE: file not found or unreadable."
  TOTP_ENCRYPTION_KEYS_RETIRED=$(grep -v '^[[:space:]]*$' "$TOTP_ENCRYPTION_KEYS_RETIRED_FILE" | paste -sd, -)
  export TOTP_ENCRYPTION_KEYS_RETIRED
fi

# JWT_PUBLIC_KEY_FILES: the current public key first, then retired ones still accepted.
if [ -n "${JWT_PUBLIC_KEY_FILES:-}" ]; then
  JWT_PUBLIC_KEYS=""
  for file in $JWT_PUBLIC_KEY_FILES; do
    [ -r "$file" ] || fail "JWT_PUBLIC_KEY_FILES names $file: file not found or unreadable. Run scripts/generate-keys.sh, or fix the path."
    JWT_PUBLIC_KEYS="$JWT_PUBLIC_KEYS$(cat "$file")
"
  done
  export JWT_PUBLIC_KEYS
fi

if [ -z "${DATABASE_URL:-}" ]; then
  [ -n "${DB_HOST:-}" ] || fail "DATABASE_URL is not set: set it, or set DB_HOST, DB_NAME, DB_USER and DB_PASSWORD_FILE."
  # generate-secrets.sh makes a hex password, so it needs no URL encoding.
  DATABASE_URL="postgres://${DB_USER:-chatalot}:${DB_PASSWORD:-}@${DB_HOST}:${DB_PORT:-5432}/${DB_NAME:-chatalot}"
  export DATABASE_URL
fi

LISTEN=${LISTEN:-0.0.0.0:8080}
PORT=${LISTEN##*:}
ROOM_STORAGE_DIR=${ROOM_STORAGE_DIR:-/data/rooms}
UPLOAD_DIR=${UPLOAD_DIR:-/data/uploads}
WEB_ROOT=${WEB_ROOT:-/app/web}
STARTUP_TIMEOUT_SECS=${STARTUP_TIMEOUT_SECS:-120}

mkdir -p "$ROOM_STORAGE_DIR" 2>/dev/null || true
[ -d "$ROOM_STORAGE_DIR" ] && [ -w "$ROOM_STORAGE_DIR" ] || fail "ROOM_STORAGE_DIR=$ROOM_STORAGE_DIR is not a writable directory."
# workerd's disk service exits at start if its directory is missing.
mkdir -p "$UPLOAD_DIR" 2>/dev/null || true
[ -d "$UPLOAD_DIR" ] && [ -w "$UPLOAD_DIR" ] || fail "UPLOAD_DIR=$UPLOAD_DIR is not a writable directory."
[ -f "$WEB_ROOT/index.html" ] || fail "WEB_ROOT=$WEB_ROOT holds no index.html: build the web app (npm run build)."

CHATALOT_STARTED_AT=$(date +%s)
STARTUP_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export CHATALOT_STARTED_AT STARTUP_TOKEN

set -- "${WORKERD:-workerd}" serve "${WORKERD_CONFIG:-$(dirname "$0")/../workerd/chatalot.capnp}"

# Two processes from one file: the server, and a password hasher that serves only its
# private socket and loads only its own small bundle (workerd runs a process on one
# thread; a hash takes ~0.4 s).
# PASSWORD_HASHER_PROCESS=same hashes on the server's own thread: only for measuring
# what the separate process saves (bench/password-hashing.ts).
RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/chatalot.XXXXXX")
hasher_socket="unix:$RUNTIME_DIR/hasher.sock"
if [ "${PASSWORD_HASHER_PROCESS:-separate}" = same ]; then
  sleep 3600000 &
  own_hasher_socket=$hasher_socket
else
  "$@" hasherProcess --socket-addr "hasher=$hasher_socket" &
  own_hasher_socket="unix:$RUNTIME_DIR/unused.sock"
fi
hasher=$!
# INSPECTOR_ADDR (host:port, for profiling only, never on a public address): workerd's
# DevTools inspector for the server process (bench/cpu-profile.ts reads it).
"$@" server --socket-addr "http=$LISTEN" --socket-addr "hasher=$own_hasher_socket" \
  --external-addr "hasher-process=$hasher_socket" \
  --directory-path "room-storage=$ROOM_STORAGE_DIR" --directory-path "web-assets=$WEB_ROOT" \
  --directory-path "uploads-disk=$UPLOAD_DIR" \
  ${PUSH_TEST_SERVICE_ORIGIN:+"--external-addr=push-test-service=${PUSH_TEST_SERVICE_ORIGIN#*://}"} \
  ${INSPECTOR_ADDR:+"--inspector-addr=$INSPECTOR_ADDR"} &
server=$!
stop_all() {
  kill -TERM "$server" "$hasher" 2>/dev/null || true
}
trap stop_all TERM INT
trap 'rm -rf "$RUNTIME_DIR"' EXIT

# The startup check: 200 ready, 503 database not reachable yet, anything else fatal.
body="$RUNTIME_DIR/startup-answer"
deadline=$(($(date +%s) + STARTUP_TIMEOUT_SECS))
while :; do
  if ! kill -0 "$server" 2>/dev/null || ! kill -0 "$hasher" 2>/dev/null; then
    stop_all
    fail "workerd exited during start-up."
  fi
  code=$(curl -s --max-time 30 -o "$body" -w '%{http_code}' -X POST -H "X-Startup-Token: $STARTUP_TOKEN" \
    "http://127.0.0.1:$PORT/internal/startup" || true)
  case "$code" in
    200) break ;;
    000 | 503) ;;
    *)
      echo "chatalot: start-up refused:" >&2
      cat "$body" >&2
      echo >&2
      stop_all
      wait "$server" 2>/dev/null || true
      exit 78
      ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "chatalot: gave up after ${STARTUP_TIMEOUT_SECS}s: $(cat "$body" 2>/dev/null)" >&2
    stop_all
    exit 69 # EX_UNAVAILABLE
  fi
  sleep 0.5
done
echo "chatalot: ready on $LISTEN (public address ${PUBLIC_URL:-unset})"

# Run until either process ends (or a stop signal arrives); then stop the other, so a
# container whose hasher died restarts instead of refusing every sign-in.
while kill -0 "$server" 2>/dev/null && kill -0 "$hasher" 2>/dev/null; do
  sleep 1
done
stop_all
status=0
wait "$server" || status=$?
wait "$hasher" 2>/dev/null || true
exit "$status"

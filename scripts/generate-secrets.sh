#!/bin/sh
# Creates every secret a Chatalot server needs, in SECRETS_DIR (default: secrets/ in the
# repository, mode 0700): db_password, totp_encryption_key, turn_secret and metrics_token
# (64 hex characters each, mode 0600), vapid_private.pem (the Web Push key, 0600), and through
# generate-keys.sh the token signing key pair.
# An existing file is never replaced (a new TOTP key breaks every 2FA enrolment, a new
# signing key signs everyone out), so running it twice changes nothing.
#
# The containers read the files as uid 10001, and Docker mounts them with their host
# owner and mode. CHATALOT_UID=10001 (as root: `sudo CHATALOT_UID=10001 scripts/generate-secrets.sh`)
# gives them to that user, keeping them readable by nobody else.
set -eu
umask 077

scripts=$(cd "$(dirname "$0")" && pwd)
SECRETS_DIR=${SECRETS_DIR:-$(dirname "$scripts")/secrets}
CHATALOT_UID=${CHATALOT_UID:-}
export SECRETS_DIR CHATALOT_UID
CONTAINER_UID=10001

fail() {
  echo "generate-secrets: $*" >&2
  exit 1
}

# The temporary file being written, removed if the run stops half way.
partial=""
trap 'rm -f "$partial"' EXIT
trap 'exit 130' INT TERM

# create NAME COMMAND...: writes COMMAND's output to SECRETS_DIR/NAME (mode 0600) unless
# NAME exists, through a temporary file renamed only once complete.
create() {
  name=$1
  shift
  if [ -e "$SECRETS_DIR/$name" ]; then
    echo "kept existing $SECRETS_DIR/$name"
    return 0
  fi
  partial=$(mktemp "$SECRETS_DIR/.$name.XXXXXX")
  "$@" >"$partial" || fail "could not create $SECRETS_DIR/$name"
  chmod 0600 "$partial"
  mv "$partial" "$SECRETS_DIR/$name"
  partial=""
  echo "created $SECRETS_DIR/$name (mode 0600)"
}

# give NAME: hands SECRETS_DIR/NAME to CHATALOT_UID, when set and not already its owner.
give() {
  [ -n "$CHATALOT_UID" ] || return 0
  [ "$(owner_of "$SECRETS_DIR/$1")" = "$CHATALOT_UID" ] && return 0
  chown "$CHATALOT_UID" "$SECRETS_DIR/$1" || fail "could not give $SECRETS_DIR/$1 to uid $CHATALOT_UID (run with sudo)"
  echo "gave $SECRETS_DIR/$1 to uid $CHATALOT_UID"
}

owner_of() {
  ls -ln "$1" | awk '{ print $3 }'
}

# 32 bytes as 64 lowercase hex characters, no newline: URL-safe, so the database
# password needs no encoding in DATABASE_URL, and exactly what TOTP_ENCRYPTION_KEY requires.
random_hex() {
  hex=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  [ ${#hex} -eq 64 ] || fail "could not read 32 random bytes from /dev/urandom"
  printf '%s' "$hex"
}

# A P-256 private key for VAPID, PKCS#8 PEM, as the server reads it.
vapid_key() {
  command -v openssl >/dev/null || fail "openssl is not installed (Debian: apt-get install openssl)"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
}

case $CHATALOT_UID in
  *[!0-9]*) fail "CHATALOT_UID must be a numeric user id (got \"$CHATALOT_UID\")" ;;
esac

if [ ! -d "$SECRETS_DIR" ]; then
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  echo "created $SECRETS_DIR (mode 0700)"
fi
[ -w "$SECRETS_DIR" ] || fail "$SECRETS_DIR is not writable by you (run with sudo, or set SECRETS_DIR)"

create db_password random_hex
create totp_encryption_key random_hex
# The TOTP key's version, and the retired keys a rotation keeps until secrets move
# (scripts/rotate-totp-key.sh); both exist from the start so the compose file can mount them.
create totp_encryption_key_version printf 1
create totp_encryption_keys_retired true
create turn_secret random_hex
# The bearer token Prometheus sends to /metrics (README, "Metrics and logs").
create metrics_token random_hex
# The VAPID key that signs Web Push (RFC 8292): a P-256 private key, PKCS#8 PEM. Browsers
# subscribe with its public key; a new key means every browser subscribes again (README).
create vapid_private.pem vapid_key
give db_password
give totp_encryption_key
give totp_encryption_key_version
give totp_encryption_keys_retired
give turn_secret
give metrics_token
give vapid_private.pem
sh "$scripts/generate-keys.sh"

if [ -z "$CHATALOT_UID" ] && [ "$(owner_of "$SECRETS_DIR/db_password")" != "$CONTAINER_UID" ]; then
  cat <<EOF

The files are readable by their owner only, and the Docker containers read them as uid $CONTAINER_UID.
For Docker, give them to that user (keeps mode 0600):
  sudo CHATALOT_UID=$CONTAINER_UID $0
Running Chatalot without Docker, as yourself, needs nothing more.
EOF
fi

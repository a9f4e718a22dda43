#!/bin/sh
# Creates the Ed25519 key pair that signs sign-in tokens: jwt_private.pem (0600) and
# jwt_public.pem (0644) in SECRETS_DIR (default: secrets/ in the repository).
# An existing key is never replaced, because a new private key signs everyone out;
# a missing public key is derived again from the private one. Running it twice changes
# nothing. With CHATALOT_UID set, the files are given to that user (see generate-secrets.sh).
set -eu
umask 077

root=$(cd "$(dirname "$0")/.." && pwd)
SECRETS_DIR=${SECRETS_DIR:-$root/secrets}
CHATALOT_UID=${CHATALOT_UID:-}
private_key=$SECRETS_DIR/jwt_private.pem
public_key=$SECRETS_DIR/jwt_public.pem

fail() {
  echo "generate-keys: $*" >&2
  exit 1
}

# The temporary file being written, removed if the run stops half way.
partial=""
trap 'rm -f "$partial"' EXIT
trap 'exit 130' INT TERM

# create NAME MODE COMMAND...: writes COMMAND's output to SECRETS_DIR/NAME unless NAME exists.
# The output goes to a temporary file that is renamed only once complete, so an interrupted
# run never leaves a half-written key under the real name.
create() {
  name=$1
  mode=$2
  shift 2
  if [ -e "$SECRETS_DIR/$name" ]; then
    echo "kept existing $SECRETS_DIR/$name"
    return 0
  fi
  partial=$(mktemp "$SECRETS_DIR/.$name.XXXXXX")
  "$@" >"$partial" || fail "could not create $SECRETS_DIR/$name"
  [ -s "$partial" ] || fail "could not create $SECRETS_DIR/$name: empty output"
  chmod "$mode" "$partial"
  mv "$partial" "$SECRETS_DIR/$name"
  partial=""
  echo "created $SECRETS_DIR/$name (mode $mode)"
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

case $CHATALOT_UID in
  *[!0-9]*) fail "CHATALOT_UID must be a numeric user id (got \"$CHATALOT_UID\")" ;;
esac
command -v openssl >/dev/null || fail "openssl is not installed (Debian: apt-get install openssl)"

if [ ! -d "$SECRETS_DIR" ]; then
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  echo "created $SECRETS_DIR (mode 0700)"
fi
[ -w "$SECRETS_DIR" ] || fail "$SECRETS_DIR is not writable by you (run with sudo, or set SECRETS_DIR)"

# A public key without its private key belongs to a key that is gone: a new private key
# would not match it, and replacing it is not this script's call.
if [ ! -e "$private_key" ] && [ -e "$public_key" ]; then
  fail "$public_key exists but $private_key does not: move the public key away (or restore the private key) and run again"
fi

create jwt_private.pem 0600 openssl genpkey -algorithm ed25519
create jwt_public.pem 0644 openssl pkey -in "$private_key" -pubout

# The pair must match, or every token the server signs fails its own verification.
if [ -r "$private_key" ] && [ -r "$public_key" ]; then
  derived=$(openssl pkey -in "$private_key" -pubout) || fail "$private_key is not a readable private key"
  present=$(openssl pkey -pubin -in "$public_key" -pubout) || fail "$public_key is not a readable public key"
  [ "$derived" = "$present" ] ||
    fail "$public_key does not belong to $private_key: delete the public key and run again to derive it"
fi

give jwt_private.pem
give jwt_public.pem

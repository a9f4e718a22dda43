#!/bin/sh
# Rotates TOTP_ENCRYPTION_KEY, the key that encrypts two-factor secrets at rest.
#   scripts/rotate-totp-key.sh                   new key; the old one is kept as retired
#   (restart the server: at start-up it re-encrypts every secret under the new key)
#   scripts/rotate-totp-key.sh --forget-retired  delete the retired keys afterwards
# Files in SECRETS_DIR (default secrets/): totp_encryption_key (64 hex characters),
# totp_encryption_key_version (its number), totp_encryption_keys_retired (`version:key` lines).
set -eu
umask 077
SECRETS_DIR=${SECRETS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/secrets}
key="$SECRETS_DIR/totp_encryption_key"
version_file="$SECRETS_DIR/totp_encryption_key_version"
retired="$SECRETS_DIR/totp_encryption_keys_retired"

fail() {
  echo "rotate-totp-key: $*" >&2
  exit 1
}

# replace FILE CONTENT: writes FILE atomically with mode 0600, keeping its owner.
replace() {
  temporary=$(mktemp "$1.XXXXXX")
  printf '%s' "$2" >"$temporary"
  chmod 0600 "$temporary"
  [ -e "$1" ] && chown "$(ls -ln "$1" | awk '{ print $3 }')" "$temporary" 2>/dev/null || true
  mv "$temporary" "$1"
}

[ -r "$key" ] || fail "$key is missing: run scripts/generate-secrets.sh first"
[ -e "$version_file" ] || replace "$version_file" 1
[ -e "$retired" ] || replace "$retired" ""

if [ "${1:-}" = "--forget-retired" ]; then
  replace "$retired" ""
  echo "forgot the retired TOTP keys; restart the server to drop them from its memory too"
  exit 0
fi

version=$(cat "$version_file")
case $version in '' | *[!0-9]*) fail "$version_file must hold a number (got \"$version\")" ;; esac
current=$(cat "$key")
next=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
[ ${#next} -eq 64 ] || fail "could not read 32 random bytes from /dev/urandom"

# Order matters: keep the old key before replacing it, so an interruption loses nothing.
replace "$retired" "$(cat "$retired")
$version:$current"
replace "$key" "$next"
replace "$version_file" "$((version + 1))"
echo "TOTP key version $version is now retired; the new key is version $((version + 1))."
echo "Restart the server (docker compose up -d --force-recreate chatalot): at start-up it re-encrypts"
echo "every two-factor secret under the new key. Then run: $0 --forget-retired"

#!/bin/sh
# The TURN relay's start, for docker-compose.yml's turn profile (mounted into the coturn
# container): adds the settings that depend on .env, writes the shared secret into a
# private config file (never onto the command line, where `ps` would show it), then runs
# turnserver with the flags the compose file passes ("$@").
# test/node/turn-relay.test.ts runs this same script outside Docker.
set -eu

fail() {
  echo "turn: $*" >&2
  exit 78 # EX_CONFIG
}

secret_file=${TURN_SECRET_FILE:-/run/secrets/turn_secret}
state_dir=${TURN_STATE_DIR:-/var/lib/coturn}
min_port=${TURN_MIN_PORT:-49160}
max_port=${TURN_MAX_PORT:-49200}

realm=${TURN_REALM:-}
if [ -z "$realm" ]; then
  realm=$(printf '%s\n' "${PUBLIC_URL:-}" | sed -e 's|^[A-Za-z][A-Za-z0-9+.-]*://||' -e 's|[:/].*||')
fi
[ -n "$realm" ] || fail "set TURN_REALM or PUBLIC_URL in .env"
[ -n "${TURN_EXTERNAL_IP:-}" ] || fail "set TURN_EXTERNAL_IP in .env to this server's public IP"
[ -s "$secret_file" ] || fail "$secret_file is missing or unreadable by uid $(id -u): run scripts/generate-secrets.sh"
bps_capacity=${TURN_BPS_CAPACITY:-12500000}
case "$min_port$max_port$bps_capacity" in
  *[!0-9]*) fail "TURN_MIN_PORT, TURN_MAX_PORT and TURN_BPS_CAPACITY must be whole numbers" ;;
esac
[ "$min_port" -le "$max_port" ] || fail "TURN_MIN_PORT ($min_port) is above TURN_MAX_PORT ($max_port)"

# Each allocation holds one relay port: past the range's size coturn would fail to find a
# port (508); a quota of exactly that size refuses cleanly (486) instead.
total_quota=$((max_port - min_port + 1))

# Browsers only ever ask for UDP relays (RFC 6062 TCP relays are for other clients), and a
# TCP relay can reach TCP services the UDP denials do not cover: off unless asked for.
case "${TURN_TCP_RELAY:-false}" in
  true) tcp_relay="" ;;
  false) tcp_relay="--no-tcp-relay" ;;
  *) fail "TURN_TCP_RELAY must be true or false (got \"$TURN_TCP_RELAY\")" ;;
esac

umask 077
mkdir -p "$state_dir"
printf 'static-auth-secret=%s\n' "$(cat "$secret_file")" >"$state_dir/secret.conf"

# TURN_EXTERNAL_IP may be coturn's "public/private" pair; the public address is this host's,
# and relaying to it would reach its UDP services from its own address: denied. The price:
# two people who can both only use this relay (both networks block UDP, or both force relay)
# cannot reach each other, since that path runs from one allocation to the other through it.
# TURN_RELAY_TO_SELF=true allows it for such installations.
public_ip=${TURN_EXTERNAL_IP%%/*}
case "${TURN_RELAY_TO_SELF:-false}" in
  true) self_peer="--allowed-peer-ip=$public_ip" ;;
  false) self_peer="--denied-peer-ip=$public_ip" ;;
  *) fail "TURN_RELAY_TO_SELF must be true or false (got \"$TURN_RELAY_TO_SELF\")" ;;
esac

exec turnserver -c "$state_dir/secret.conf" \
  --realm="$realm" \
  --external-ip="$TURN_EXTERNAL_IP" \
  "$self_peer" \
  --total-quota="$total_quota" \
  --bps-capacity="$bps_capacity" \
  $tcp_relay \
  "$@"

#!/bin/sh
# Runs the project's wrangler fully offline: no metrics, no error reports, no
# Cloudflare lookups, and its config and caches inside the project.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true
export XDG_CONFIG_HOME="$root/.wrangler/config" MINIFLARE_CACHE_DIR="$root/.wrangler/cache"
exec "$root/node_modules/.bin/wrangler" "$@"

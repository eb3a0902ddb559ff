#!/usr/bin/env bash
# Installs what the local stack and the tests need, when it is missing, then compiles.
# Safe to run again: each step checks first. Used by `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Node packages, when absent or older than the lockfile. `npm install` follows the lockfile; we
# do not use `npm ci`, which refuses it here because the registry serves only this platform's
# optional native packages, so the lockfile cannot list the others.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node packages"
  npm install --no-audit --no-fund --loglevel=error
fi

# Debian packages: redis-server (the bus), nginx (the edge) and chromium (the browser tests). nginx lives in /usr/sbin, which
# a user's PATH often lacks, so that is looked at too (scripts/stack/services.ts does the same).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Debian's Chromium, for the browser tests (test/browser/): playwright-core drives it, never downloads one.
[ -x /usr/bin/chromium ] || missing+=(chromium)
nginx_missing=false
[ -n "${NGINX_BIN:-}" ] || command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || nginx_missing=true
if [ ${#missing[@]} -gt 0 ] || $nginx_missing; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  # nginx-light is enough (proxy, upstreams, limits); newer Debian releases fold it into nginx.
  if $nginx_missing; then
    if apt-cache show nginx-light >/dev/null 2>&1; then missing+=(nginx-light); else missing+=(nginx); fi
  fi
  say "installing ${missing[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# FerretDB 1.24 (SQLite by default; PostgreSQL with --postgresql-url), the local MongoDB wire-protocol server, built once and cached.
# Skipped when MONGO_URL names a server of your own.
cache="${LILA_CACHE:-$HOME/.cache/lila-ts}"
ferretdb="${FERRETDB_BIN:-$cache/bin/ferretdb-1.24.2}"
# A binary built before the launcher took --postgresql-url (bench/db-writes.ts compares the
# backends) is built again.
if [ -z "${MONGO_URL:-}" ] && { [ ! -x "$ferretdb" ] || ! "$ferretdb" --help 2>&1 | grep -q postgresql-url; }; then
  command -v go >/dev/null 2>&1 || { echo "FerretDB must be built with Go, which is missing; install Go or set MONGO_URL" >&2; exit 1; }
  say "building FerretDB 1.24.2 with Go (once; about two minutes)"
  mkdir -p "$(dirname "$ferretdb")"
  (cd scripts/ferretdb && go build -o "$ferretdb.partial" . && mv "$ferretdb.partial" "$ferretdb")
fi

# TypeScript to dist/, then the web UI (type-checked against the DOM, bundled) to dist/web/.
npx tsc -p .
npx tsc -p web
node dist/scripts/build-web.js

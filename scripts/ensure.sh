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

# Debian packages: redis-server (the bus) and nginx (the edge). nginx lives in /usr/sbin, which
# a user's PATH often lacks, so that is looked at too (scripts/stack/services.ts does the same).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
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

# FerretDB 1.24 (SQLite), the local MongoDB wire-protocol server, built once and cached.
# Skipped when MONGO_URL names a server of your own.
cache="${LILA_CACHE:-$HOME/.cache/lila-ts}"
ferretdb="${FERRETDB_BIN:-$cache/bin/ferretdb-1.24.2}"
if [ -z "${MONGO_URL:-}" ] && [ ! -x "$ferretdb" ]; then
  command -v go >/dev/null 2>&1 || { echo "FerretDB must be built with Go, which is missing; install Go or set MONGO_URL" >&2; exit 1; }
  say "building FerretDB 1.24.2 with Go (once; about two minutes)"
  mkdir -p "$(dirname "$ferretdb")"
  (cd scripts/ferretdb && go build -o "$ferretdb.partial" . && mv "$ferretdb.partial" "$ferretdb")
fi

# TypeScript to dist/.
npx tsc -p .

#!/usr/bin/env bash
# Installs the benchmark's peer systems outside the project's dependencies, into
# ${LILA_CACHE:-$HOME/.cache/lila-ts}/bench-peers (or $BENCH_PEERS): Socket.IO 4 and its Redis
# adapters, emitter and client in an npm prefix of their own, and Centrifugo v6.9.1 built with Go.
# None of them is a dependency of the product: package.json never lists them.
# Safe to run again: each step checks first. Prints what it did to stderr.
set -euo pipefail
peers="${BENCH_PEERS:-${LILA_CACHE:-$HOME/.cache/lila-ts}/bench-peers}"
go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
# Centrifugo, pinned: built once into the peers folder with its version in the name (as
# scripts/ensure.sh builds FerretDB), so that a new pin builds anew and an old binary is never taken.
centrifugo_version="6.9.1"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
mkdir -p "$peers/bin"

command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing: run scripts/ensure.sh first" >&2; exit 1; }
command -v taskset >/dev/null 2>&1 || { echo "taskset (util-linux) is missing" >&2; exit 1; }

# 1. Node packages, pinned. The redis client is node-redis 4, the one both Socket.IO Redis
# adapters and the emitter document; the streams adapter is what Socket.IO's connection state
# recovery needs (the pub/sub adapter cannot restore sessions). Centrifugo's clients need no
# package: the generator speaks its JSON client protocol over the project's own `ws`.
manifest='{
  "name": "lila-ts-bench-peers",
  "private": true,
  "description": "Peer systems for the lila-ts benchmark; installed by bench/peers/install.sh, never a project dependency",
  "dependencies": {
    "@socket.io/redis-adapter": "8.3.0",
    "@socket.io/redis-emitter": "5.1.0",
    "@socket.io/redis-streams-adapter": "0.3.1",
    "redis": "4.7.1",
    "socket.io": "4.8.4",
    "socket.io-client": "4.8.4",
    "ws": "8.23.0"
  }
}'
if [ ! -f "$peers/package.json" ] || [ "$(cat "$peers/package.json")" != "$manifest" ]; then
  printf '%s\n' "$manifest" >"$peers/package.json"
fi
if [ ! -f "$peers/node_modules/.package-lock.json" ] || [ "$peers/package.json" -nt "$peers/node_modules/.package-lock.json" ]; then
  say "installing Socket.IO 4.8.4, its Redis adapters and emitter, socket.io-client into $peers"
  (cd "$peers" && npm install --no-audit --no-fund --loglevel=error)
  touch "$peers/node_modules/.package-lock.json"
fi

# 2. Centrifugo from the Go module proxy, built with this machine's Go (about three minutes once).
# A failure fails the install: the benchmark has no stand-in for it.
centrifugo="$peers/bin/centrifugo-$centrifugo_version"
if [ ! -x "$centrifugo" ]; then
  say "building Centrifugo v$centrifugo_version with go install (github.com/centrifugal/centrifugo/v6; once, a few minutes)"
  tmp_bin="$(mktemp -d)"
  # The version stamped as Centrifugo's release builds stamp it (else it calls itself 0.0.0).
  GOBIN="$tmp_bin" GOFLAGS=-mod=mod timeout 1200 "$go_bin" install \
    -ldflags "-X github.com/centrifugal/centrifugo/v6/internal/build.Version=$centrifugo_version" \
    "github.com/centrifugal/centrifugo/v6@v$centrifugo_version"
  mv "$tmp_bin/centrifugo" "$centrifugo"
  rm -rf "$tmp_bin"
  say "Centrifugo built: $("$centrifugo" version 2>/dev/null | head -1)"
fi
# What an older install left: the stand-in, its record of why, an unversioned binary.
rm -f "$peers/bin/centrifuge-peer" "$peers/centrifugo.unavailable" "$peers/bin/centrifugo"
say "bench peers ready in $peers"

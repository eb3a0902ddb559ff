#!/usr/bin/env bash
# Installs the benchmark's peer systems outside the project's dependencies, into
# ${LILA_CACHE:-$HOME/.cache/lila-ts}/bench-peers (or $BENCH_PEERS): Socket.IO 4 and its Redis
# adapters, emitter and client in an npm prefix of their own, and Centrifugo v6 built with Go.
# None of them is a dependency of the product: package.json never lists them.
# Safe to run again: each step checks first. Prints what it did to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers="${BENCH_PEERS:-${LILA_CACHE:-$HOME/.cache/lila-ts}/bench-peers}"
go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
# Centrifugo's newest v6 unless told otherwise: the proxy resolves "latest" itself.
centrifugo_version="${CENTRIFUGO_VERSION:-latest}"
# The library Centrifugo is built on, for the labelled stand-in below.
centrifuge_lib_version="v0.40.1"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
mkdir -p "$peers/bin"

command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing: run scripts/ensure.sh first" >&2; exit 1; }
command -v taskset >/dev/null 2>&1 || { echo "taskset (util-linux) is missing" >&2; exit 1; }

# 1. Node packages, pinned. The redis client is node-redis 4, the one both Socket.IO Redis
# adapters and the emitter document; the streams adapter is what Socket.IO's connection state
# recovery needs (the pub/sub adapter cannot restore sessions); centrifuge is Centrifugo's own
# JavaScript client (5.8 or later: 5.7 could dispatch a frame's publications before those of the
# frame before it, out of order, under load).
manifest='{
  "name": "lila-ts-bench-peers",
  "private": true,
  "description": "Peer systems for the lila-ts benchmark; installed by bench/peers/install.sh, never a project dependency",
  "dependencies": {
    "@socket.io/redis-adapter": "8.3.0",
    "@socket.io/redis-emitter": "5.1.0",
    "@socket.io/redis-streams-adapter": "0.3.1",
    "centrifuge": "5.8.0",
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
  say "installing Socket.IO 4.8.4, its Redis adapters and emitter, socket.io-client, centrifuge-js 5.8.0 into $peers"
  (cd "$peers" && npm install --no-audit --no-fund --loglevel=error)
  touch "$peers/node_modules/.package-lock.json"
fi

# 2. Centrifugo v6, from the Go module proxy. When the proxy refuses it, why is recorded in
# centrifugo.unavailable (the benchmark report quotes it) and not asked again until that file
# is removed.
centrifugo="$peers/bin/centrifugo"
unavailable="$peers/centrifugo.unavailable"
if [ ! -x "$centrifugo" ] && [ ! -f "$unavailable" ]; then
  say "building Centrifugo $centrifugo_version with go install (github.com/centrifugal/centrifugo/v6)"
  log="$(mktemp)"
  if GOBIN="$peers/bin" GOFLAGS=-mod=mod timeout 900 "$go_bin" install \
    "github.com/centrifugal/centrifugo/v6@$centrifugo_version" >"$log" 2>&1; then
    say "Centrifugo built: $("$centrifugo" version 2>/dev/null | head -1)"
  else
    {
      echo "Centrifugo v6 could not be built here on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
      echo "Command: go install github.com/centrifugal/centrifugo/v6@$centrifugo_version ($("$go_bin" version))"
      echo "The Go module proxy answered:"
      # The registry's host stays out of the record, which the report quotes.
      sed -E 's#https?://[^/ ]+#<proxy>#g; s/^/    /' "$log"
      echo "The benchmark runs a labelled stand-in instead: centrifuge-peer, a small server on"
      echo "github.com/centrifugal/centrifuge $centrifuge_lib_version (the library Centrifugo is built on) with its Redis broker."
      echo "It is not Centrifugo itself. Remove this file to try Centrifugo again."
    } >"$unavailable"
    say "Centrifugo v6 is not available; why: $unavailable"
  fi
  rm -f "$log"
fi

# 3. The stand-in, only when Centrifugo itself is missing: rebuilt when its source changes.
peer_bin="$peers/bin/centrifuge-peer"
if [ ! -x "$centrifugo" ]; then
  src="$here/centrifuge-peer"
  if [ ! -x "$peer_bin" ] || [ "$src/main.go" -nt "$peer_bin" ] || [ "$src/go.mod" -nt "$peer_bin" ]; then
    say "building centrifuge-peer (github.com/centrifugal/centrifuge $centrifuge_lib_version; once, about two minutes)"
    (cd "$src" && "$go_bin" build -o "$peer_bin.partial" . && mv "$peer_bin.partial" "$peer_bin")
  fi
fi
say "bench peers ready in $peers"

#!/usr/bin/env bash
# `npm run bench`: installs what is missing (the stack's needs, then the peer systems outside the
# project's dependencies), then runs the benchmark suite (bench/run.ts). Arguments go to it:
# `npm run bench -- --full`, `--only fanout`, `--targets ours,socketio`, `--prof`, `--report <file>`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure.sh
if [ -f bench/peers/install.sh ]; then
  # A peer that cannot be installed is recorded by its own target when it fails to start.
  bash bench/peers/install.sh || echo "bench: installing the peers failed; their runs will say why" >&2
fi
# Every socket is a file descriptor: as many as this shell may have (the hard limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node dist/bench/run.js "$@"

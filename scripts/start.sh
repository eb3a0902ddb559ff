#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the whole local stack in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure.sh
exec node dist/scripts/start.js

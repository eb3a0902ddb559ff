#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs the whole suite. Tests start their own
# redis-server, FerretDB, lila-core and relays on free ports, and stop them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure.sh
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"

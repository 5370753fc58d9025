#!/usr/bin/env bash
# Installs verdict in this checkout (Node 24 from the npm registry if needed) and runs `verdict demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
[ -f dist/cli/main.js ] || npm run build >&2
exec node bin/verdict.js demo "$@"

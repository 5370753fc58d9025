#!/usr/bin/env bash
# Prepares a checkout: makes sure a Node >= 22 is on PATH (fetching Node 24 LTS from the npm
# registry, the only place these machines can reach, when the system node is older) and installs
# the locked dependencies. Source it (`. scripts/setup.sh`) so the PATH change reaches the caller.
set -euo pipefail
VERDICT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  local_node="$VERDICT_ROOT/.node/node_modules/.bin"
  if [ ! -x "$local_node/node" ]; then
    echo "verdict setup: system node is $(node -v 2>/dev/null || echo missing); fetching Node 24 LTS from the npm registry into .node/" >&2
    mkdir -p "$VERDICT_ROOT/.node"
    [ -f "$VERDICT_ROOT/.node/package.json" ] || echo '{"private":true}' >"$VERDICT_ROOT/.node/package.json"
    (cd "$VERDICT_ROOT/.node" && npm install --no-audit --no-fund --loglevel=error node@24 >&2)
  fi
  export PATH="$local_node:$PATH"
fi
echo "verdict setup: using node $(node -v)" >&2

if [ ! -f "$VERDICT_ROOT/node_modules/.package-lock.json" ] || [ "$VERDICT_ROOT/package-lock.json" -nt "$VERDICT_ROOT/node_modules/.package-lock.json" ]; then
  (cd "$VERDICT_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

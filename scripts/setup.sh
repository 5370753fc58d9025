#!/usr/bin/env bash
# Prepares a checkout so that `verdict` runs from any folder: a Node >= 22 (Node 24 LTS fetched from
# the npm registry, the only place these machines can reach, when the system node is older), the
# locked dependencies, a build, and a `verdict` launcher on the PATH (scripts/install-launcher.sh).
#
# Run it: `bash scripts/setup.sh [--no-build]`. Messages go to standard error; standard output gets
# two lines for scripts, `node_dir=DIR` (the Node it chose) and `launcher=FILE`.
# Sourced by mistake, it runs itself in a child shell: the caller's shell options stay as they were
# (it used to leave `set -euo pipefail` behind) and only the chosen Node is put first on PATH.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  if __verdict_setup="$(bash "${BASH_SOURCE[0]}" "$@")"; then
    PATH="$(sed -n 's/^node_dir=//p' <<<"$__verdict_setup"):$PATH"
    unset __verdict_setup
    return 0
  fi
  unset __verdict_setup
  return 1
fi
set -euo pipefail
VERDICT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=1
[ "${1:-}" = "--no-build" ] && build=0

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
node_bin="$(command -v node)"
echo "verdict setup: using node $(node -v) ($node_bin)" >&2

# --ignore-scripts: no dependency needs an install script (better-sqlite3 and node-llama-cpp ship
# prebuilt binaries), and `prepare` would compile here and again in `npm test`.
if [ ! -f "$VERDICT_ROOT/node_modules/.package-lock.json" ] || [ "$VERDICT_ROOT/package-lock.json" -nt "$VERDICT_ROOT/node_modules/.package-lock.json" ]; then
  (cd "$VERDICT_ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi

# The launcher runs the CLI's bundle, dist/bundle/ (beside tsc's dist/): build both when it is missing or
# older than a source file or the build script.
built="$VERDICT_ROOT/dist/bundle/main.js"
if [ "$build" = 1 ] && { [ ! -f "$built" ] ||
  [ -n "$(find "$VERDICT_ROOT/src" "$VERDICT_ROOT/scripts/build-cli.ts" -newer "$built" -print -quit)" ]; }; then
  echo "verdict setup: building dist/" >&2
  (cd "$VERDICT_ROOT" && npm run --silent build >&2)
fi

launcher="$(bash "$VERDICT_ROOT/scripts/install-launcher.sh" "$node_bin")"
echo "node_dir=$(dirname "$node_bin")"
echo "launcher=$launcher"

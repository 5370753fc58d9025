#!/usr/bin/env bash
# Installs verdict in this checkout (Node 24 from the npm registry if needed, a `verdict` launcher on
# the PATH), runs `verdict demo`, and prints the command that starts on a workload of one's own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
setup="$(bash scripts/setup.sh)"
node_dir="$(sed -n 's/^node_dir=//p' <<<"$setup")"
launcher="$(sed -n 's/^launcher=//p' <<<"$setup")"
if [ "${launcher##*/}" = verdict.js ]; then
  verdict=("$node_dir/node" "$launcher") # no launcher could be written
else
  verdict=("$launcher")
fi
status=0
"${verdict[@]}" demo "$@" || status=$?

# `verdict` when the user's shell finds this launcher by that name, else its full path.
if [ "$(command -v verdict || true)" = "$launcher" ]; then
  cmd=verdict
else
  cmd="$(printf '%q ' "${verdict[@]}")"
  cmd="${cmd% }"
fi
examples="$(printf '%q' "$PWD/examples/demo")"
cat >&2 <<NEXT

Next, a workload of your own: copy the demo's into a folder, edit its cases and candidates, then run it:
  mkdir -p ~/my-workload && cp $examples/* ~/my-workload/ && $cmd validate ~/my-workload/workload.yaml
  $cmd run ~/my-workload/workload.yaml
NEXT
exit "$status"

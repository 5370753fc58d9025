#!/usr/bin/env bash
# Writes a `verdict` launcher that runs this checkout's CLI with the given Node (>= 22), so that
# `verdict` works from any folder without changing the user's shell. Usage:
#   bash scripts/install-launcher.sh NODE_BINARY
# Where: $VERDICT_BIN_DIR if set; else the first of ~/.local/bin, ~/bin, /usr/local/bin that is on
# PATH and writable; else ~/.local/bin, with the line to add to PATH printed. A `verdict` there that
# this script did not write is left alone. Prints the launcher's path on standard output.
set -euo pipefail
VERDICT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_bin="${1:?usage: install-launcher.sh NODE_BINARY}"
marker='verdict launcher, written by scripts/install-launcher.sh'

on_path() { case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac; }
# Writable, or creatable under a writable parent; and no foreign `verdict` in the way.
usable() {
  local dir="$1"
  if [ -e "$dir/verdict" ] && ! grep -qs "$marker" "$dir/verdict"; then return 1; fi
  while [ ! -d "$dir" ]; do dir="$(dirname "$dir")"; done
  [ -w "$dir" ]
}
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

dir=""
if [ -n "${VERDICT_BIN_DIR:-}" ]; then
  dir="$VERDICT_BIN_DIR"
else
  for candidate in "$HOME/.local/bin" "$HOME/bin" /usr/local/bin; do
    if on_path "$candidate" && usable "$candidate"; then
      dir="$candidate"
      break
    fi
  done
  [ -n "$dir" ] || dir="$HOME/.local/bin"
fi
if ! usable "$dir"; then
  echo "verdict setup: cannot write a launcher in $dir (not writable, or another verdict is there); run verdict as: $(quote "$node_bin") $(quote "$VERDICT_ROOT/bin/verdict.js")" >&2
  echo "$VERDICT_ROOT/bin/verdict.js"
  exit 0
fi

mkdir -p "$dir"
launcher="$dir/verdict"
{
  echo '#!/bin/sh'
  echo "# $marker of $VERDICT_ROOT:"
  echo '# that checkout'"'"'s CLI on the Node >= 22 set-up chose. Run set-up again to move it.'
  echo "exec $(quote "$node_bin") --max-semi-space-size=8 $(quote "$VERDICT_ROOT/bin/verdict.js") \"\$@\""
} >"$launcher.tmp"
chmod 755 "$launcher.tmp"
mv "$launcher.tmp" "$launcher"

if on_path "$dir"; then
  echo "verdict setup: \`verdict\` is on your PATH ($launcher)" >&2
else
  echo "verdict setup: wrote $launcher; $dir is not on your PATH. Add it with:" >&2
  echo "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.bashrc   # then open a new shell" >&2
  echo "or run verdict as $launcher" >&2
fi
echo "$launcher"

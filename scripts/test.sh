#!/usr/bin/env bash
# The whole check, as CI runs it: set-up, lint, typecheck, one build (npm test's pretest), tests.
# The browser tests need chromium: with VERDICT_REQUIRE_CHROMIUM=1 (CI sets it) a missing chromium
# fails the run; otherwise they are skipped and the run ends with a warning that says so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
setup="$(bash scripts/setup.sh --no-build)"
PATH="$(sed -n 's/^node_dir=//p' <<<"$setup"):$PATH"
chromium="${VERDICT_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && [ "${VERDICT_REQUIRE_CHROMIUM:-}" = 1 ]; then
  echo "test.sh: chromium is required (VERDICT_REQUIRE_CHROMIUM=1) but $chromium is missing: apt-get install -y chromium fonts-dejavu-core" >&2
  exit 1
fi
npm run lint
npm run typecheck
# The capacity search's 20-seed timing test needs the machine to itself: it is deferred out of the
# parallel suite and run alone after it.
VERDICT_DEFER_TIMING=1 npm test
VERDICT_TIMING_ALONE=1 node --test --test-timeout=300000 test/load-max-rate-interval.test.ts
if [ ! -x "$chromium" ]; then
  echo "" >&2
  echo "WARNING: the browser tests were SKIPPED: $chromium is missing (apt-get install -y chromium fonts-dejavu-core). CI runs them." >&2
fi

#!/usr/bin/env bash
# The whole check, as CI runs it: set-up, lint, typecheck, build, tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup.sh
npm run lint
npm run typecheck
npm run build
npm test

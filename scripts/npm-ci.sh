#!/usr/bin/env bash
# Installs the npm packages of DIR (src/web: the browser code's build; tests/browser: the test
# tools) exactly as DIR/package-lock.json pins them, when they are missing or the lockfile is
# newer than the install. --engine-strict: a package whose "engines" refuse this Node fails here,
# by name, not in the middle of a build or a test.
#   scripts/npm-ci.sh DIR...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for dir in "$@"; do
  if [[ ! -f "$dir/node_modules/.package-lock.json" ]] ||
    [[ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    npm ci --prefix "$dir" --engine-strict --no-audit --no-fund --loglevel=error
  fi
done

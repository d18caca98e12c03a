#!/usr/bin/env bash
# Quick start, command 2: the same set-up as demo.sh, then every test (unit, lint, integration
# against the private PostgreSQL, end-to-end against the real binary) in the ASan+UBSan build,
# then the fuzz targets for 60 s each. Fails on any failing or skipped test or fuzz finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
# npm packages as their lockfiles pin them: src/web's build the browser code (the binary carries
# it); tests/browser's are the test tools (playwright-core for the browser tests, Redocly CLI and
# Spectral for the contract lint, scripts/lint-openapi.sh).
./scripts/npm-ci.sh src/web tests/browser
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
./scripts/check-tools.sh
./scripts/lint.sh tidy --changed "${GRIDCASE_TIDY_BASE:-HEAD~1}"  # clang-tidy over what the change touches
./scripts/pg.sh start

# Fresh databases each run: integration tests own theirs; end-to-end tests get the demo district.
./scripts/pg.sh fresh gridcase_it
./scripts/pg.sh fresh gridcase_e2e
export GRIDCASE_TEST_DATABASE_URL=$(./scripts/pg.sh url gridcase_it)
export GRIDCASE_E2E_DATABASE_URL=$(./scripts/pg.sh url gridcase_e2e)
GRIDCASE_DATABASE_URL=$GRIDCASE_E2E_DATABASE_URL GRIDCASE_LOG_LEVEL=warn build/dev/src/gridcase migrate
GRIDCASE_DATABASE_URL=$GRIDCASE_E2E_DATABASE_URL GRIDCASE_LOG_LEVEL=warn build/dev/src/gridcase seed-demo

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Every answer an end-to-end test receives is validated against docs/openapi.yaml; the route ×
# status pairs seen are listed afresh for this run (scripts/contract-coverage.sh).
export GRIDCASE_CONTRACT_SEEN=$PWD/build/dev/e2e-contract-seen.txt
rm -f "$GRIDCASE_CONTRACT_SEEN"
set +e
ctest --test-dir build/dev --output-on-failure -j "$(nproc)" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
./scripts/contract-coverage.sh --summary || true
if grep -qE '\[  SKIPPED \]|Not Run|\(Skipped\)' "$log"; then
  echo "test.sh: a test was skipped; every test must run" >&2
  exit 1
fi
[[ "$status" -eq 0 ]] || exit "$status"
# Then every fuzz target for 60 s (docs/fuzzing.md): its own clang-14 build in build/fuzz.
./scripts/fuzz.sh 60

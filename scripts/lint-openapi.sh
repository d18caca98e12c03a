#!/usr/bin/env bash
# Lints the API contract (docs/api.md, "The OpenAPI document"):
#   scripts/lint-openapi.sh [FILE]     default docs/openapi.yaml
# with both linters pinned in tests/browser/package.json (npm ci --prefix tests/browser installs
# them): Redocly CLI (`redocly lint`, redocly.yaml: the recommended rules) and Spectral
# (`spectral lint`, .spectral.yaml: spectral:oas). Both always run; any error of either fails
# (exit 1). Warnings are printed and do not fail. Exit 77 (ctest: skipped, which
# scripts/test.sh refuses) when the linters are not installed. Nothing is fetched: no telemetry,
# no update check.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=$(realpath -m "${1:-$root/docs/openapi.yaml}")
cd "$root"

bin=tests/browser/node_modules/.bin
for tool in redocly spectral; do
  if [[ ! -x "$bin/$tool" ]]; then
    echo "lint-openapi: $bin/$tool is missing: run npm ci --prefix tests/browser" >&2
    exit 77
  fi
done
[[ -f "$file" ]] || { echo "lint-openapi: no file $file" >&2; exit 2; }

# Redocly sends no usage data (also `telemetry: off` in redocly.yaml) and asks the registry for
# no newer version; Spectral's rules are built in and the documents have no remote $ref.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

failed=()
run() {  # run NAME COMMAND...: prints the command, runs it, remembers a failure
  local name=$1
  shift
  echo "lint-openapi: $*"
  if ! "$@"; then failed+=("$name"); fi
}
run redocly "$bin/redocly" lint --config redocly.yaml --format stylish "$file"
run spectral "$bin/spectral" lint --ruleset .spectral.yaml --fail-severity error "$file"

if ((${#failed[@]})); then
  echo "lint-openapi: ${failed[*]} found errors in $file" >&2
  exit 1
fi
echo "lint-openapi: ok: redocly $("$bin/redocly" --version) and spectral $("$bin/spectral" --version) found no error in $file"

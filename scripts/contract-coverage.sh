#!/usr/bin/env bash
# Lists the route × status pairs the end-to-end tests received (tests/support/api_contract.cpp
# appends them to build/dev/e2e-contract-seen.txt, or $GRIDCASE_CONTRACT_SEEN) against what
# docs/openapi.yaml documents: every pair seen (each was validated against its operation and
# status, an undocumented one failed its test), then the documented answers no test received.
#   scripts/contract-coverage.sh [SEEN-FILE]   (--summary: the counts only)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

summary=0
if [[ "${1:-}" == --summary ]]; then summary=1; shift; fi
seen=${1:-${GRIDCASE_CONTRACT_SEEN:-build/dev/e2e-contract-seen.txt}}
[[ -s "$seen" ]] || { echo "contract-coverage: $seen is empty: run the end-to-end tests first" >&2; exit 1; }

# "METHOD /path STATUS" for every answer each operation documents (yaml-cpp is C++; Python's
# yaml module is not a dependency, so node reads it with the tests' own YAML parser).
documented=$(node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { createRequire } from "node:module";
  const require = createRequire(process.cwd() + "/tests/browser/package.json");
  const yaml = require("js-yaml");
  const doc = yaml.load(readFileSync("docs/openapi.yaml", "utf8"));
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      if (op && op.responses)
        for (const status of Object.keys(op.responses)) console.log(`${method.toUpperCase()} ${path} ${status}`);
' | sort -u)
observed=$(sort -u "$seen")
never=$(comm -13 <(sed -E 's/^HEAD /GET /' <<<"$observed" | sort -u) <(echo "$documented"))
documented_count=$(wc -l <<<"$documented")
seen_documented=$(comm -12 <(echo "$observed") <(echo "$documented") | wc -l)
if [[ $summary -eq 0 ]]; then
  echo "## Seen by the end-to-end tests ($(wc -l <<<"$observed") route × status pairs)"
  echo "$observed"
  echo
  echo "## Documented, never seen"
  echo "$never"
  echo
fi
echo "contract-coverage: $(wc -l <<<"$observed") route × status pairs seen, each validated;" \
  "$seen_documented of the $documented_count documented operation answers seen"

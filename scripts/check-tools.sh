#!/usr/bin/env bash
# Checks the versions of the tools the tests rely on, after install-deps.sh and npm ci, so a
# machine that has the wrong one fails at once with what to do instead of in the middle of a test.
# Debian 12 is the reference: its nodejs is 18, so every npm tool is pinned to a version whose
# "engines" accept Node 18 (tests/browser/package.json says so too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

problems=()
major() { sed -E 's/^[^0-9]*([0-9]+).*/\1/' <<<"$1"; }

node_version=$(node --version 2>/dev/null || echo none)
if [[ "$node_version" == none ]]; then
  problems+=("node is missing: install Debian's nodejs (scripts/install-deps.sh does)")
elif (($(major "$node_version") < 18)); then
  problems+=("node $node_version is too old: the browser tests need Node 18 or newer (Debian 12's nodejs)")
fi

# Every npm package installed (the test tools in tests/browser, the browser code's build in
# src/web) must accept the running Node: compare each package's "engines.node" lower bound (">=N" or "^N") with this Node's major version. Scoped
# packages (@redocly/cli, @stoplight/spectral-cli and their kin) too; one node process reads
# every manifest ("name@version<TAB>engines.node" per package that names one).
for dir in tests/browser src/web; do
  [[ "$node_version" != none && -d $dir/node_modules ]] || continue
  while IFS=$'\t' read -r name wanted; do
    floor=$(major "$wanted")  # not a number ("*", "any"): no lower bound
    if [[ "$floor" =~ ^[0-9]+$ ]] && (($(major "$node_version") < floor)); then
      problems+=("$name wants node $wanted but this machine has $node_version: pin a version whose engines accept Node 18 in $dir/package.json")
    fi
  done < <(node -e '
    const fs = require("fs");
    const top = process.argv[1] + "/node_modules";
    const dirs = [];
    for (const entry of fs.readdirSync(top)) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) {
        for (const inner of fs.readdirSync(top + "/" + entry)) dirs.push(top + "/" + entry + "/" + inner);
      } else {
        dirs.push(top + "/" + entry);
      }
    }
    for (const dir of dirs) {
      let manifest;
      try { manifest = JSON.parse(fs.readFileSync(dir + "/package.json", "utf8")); } catch { continue; }
      const wanted = (manifest.engines || {}).node;
      if (typeof wanted === "string" && wanted) console.log(manifest.name + "@" + manifest.version + "\t" + wanted);
    }' "$dir")
done

chromium_bin=${CHROMIUM:-/usr/bin/chromium}
if ! "$chromium_bin" --version >/dev/null 2>&1; then
  problems+=("$chromium_bin does not run: install Debian's chromium (scripts/install-deps.sh does) or set CHROMIUM")
fi
if ! /usr/lib/postgresql/15/bin/postgres --version >/dev/null 2>&1; then
  problems+=("PostgreSQL 15 is missing from /usr/lib/postgresql/15: install postgresql-15 (scripts/install-deps.sh does)")
fi

if ((${#problems[@]})); then
  printf 'check-tools: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "check-tools: node $node_version, $("$chromium_bin" --version 2>/dev/null | head -1), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}')"

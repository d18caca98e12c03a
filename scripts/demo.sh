#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, start the private PostgreSQL, migrate,
# load the Kundulun demo district and serve on 127.0.0.1:8080 (Ctrl-C stops).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
./scripts/pg.sh start
./scripts/pg.sh ensure gridcase
export GRIDCASE_DATABASE_URL=${GRIDCASE_DATABASE_URL:-$(./scripts/pg.sh url gridcase)}
gridcase=build/release/src/gridcase
"$gridcase" migrate --config config/gridcase.json
"$gridcase" seed-demo --config config/gridcase.json

cat <<'TXT'

gridcase demo: Kundulun district (150203) on http://127.0.0.1:8080 — try, in another terminal:
  curl '127.0.0.1:8080/api/v1/grid/locate?lon=109.83&lat=40.65'
  curl '127.0.0.1:8080/api/v1/grid/150203003'
  curl '127.0.0.1:8080/api/v1/officers?grid=150203003001'
  curl '127.0.0.1:8080/api/v1/categories'
Ctrl-C stops the server; ./scripts/pg.sh stop stops the database.

TXT
exec "$gridcase" serve --config config/gridcase.json

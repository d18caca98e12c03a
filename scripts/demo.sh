#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, start the private PostgreSQL, migrate,
# load the Kundulun demo district and serve on 127.0.0.1:8080 (Ctrl-C stops).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
./scripts/npm-ci.sh src/web  # the browser code's build tools, as src/web/package-lock.json pins them
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
./scripts/pg.sh start
./scripts/pg.sh ensure gridcase
export GRIDCASE_DATABASE_URL=${GRIDCASE_DATABASE_URL:-$(./scripts/pg.sh url gridcase)}
gridcase=build/release/src/gridcase
"$gridcase" migrate --config config/gridcase.json
# One account per role, with fresh passwords (printed below).
"$gridcase" seed-demo --config config/gridcase.json
# The first time only: 90 days of simulated history, so the reports have something to show.
cases=$(/usr/lib/postgresql/15/bin/psql "$GRIDCASE_DATABASE_URL" -X -At -c "SELECT count(*) FROM cases")
if [[ "$cases" == 0 ]]; then
  echo "demo: simulating 90 days of cases through the real case service (about a minute)"
  GRIDCASE_LOG_LEVEL=warn "$gridcase" simulate --days 90 --config config/gridcase.json
fi

cat <<'TXT'

gridcase demo: Kundulun district (150203) on http://127.0.0.1:8080. The console: open
http://127.0.0.1:8080/ in a browser and sign in with an account and password printed above.
From another terminal, sign in and keep the token (README, Quick start):
  TOKEN=$(curl -s 127.0.0.1:8080/api/v1/sessions -H 'Content-Type: application/json' \
    -d '{"username": "operator", "password": "<password>"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -H "Authorization: Bearer $TOKEN" '127.0.0.1:8080/api/v1/grid/locate?lon=109.83&lat=40.65'
  curl -H "Authorization: Bearer $TOKEN" '127.0.0.1:8080/api/v1/cases?limit=5'
  curl -H "Authorization: Bearer $TOKEN" "127.0.0.1:8080/api/v1/reports?period=month&date=$(date +%F)&format=html" -o bulletin.html
Ctrl-C stops the server; ./scripts/pg.sh stop stops the database.

TXT
exec "$gridcase" serve --config config/gridcase.json

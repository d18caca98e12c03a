# Shared by the bench/ scripts (sourced): settings, the release build, the private database,
# one `gridcase serve`, a bearer token, and the measured wrk + pgbench rounds with the CPU each
# party spends per request. Each script sets what it measures, then calls the functions below
# in order: bench_setup, bench_build, bench_database, bench_start_server, bench_measure,
# bench_summary. See docs/performance.md. scripts/reliability.sh uses the set-up half (setup,
# build, database, token, start_server) too.
# shellcheck shell=bash

die() {
  echo "${bench_label:-bench/$bench_name}: $*" >&2
  exit 1
}

config_number() {  # the first integer value of "key" in config/gridcase.json
  sed -n "s/^ *\"$1\": *\([0-9][0-9]*\).*/\1/p" config/gridcase.json | head -n 1
}

# bench_setup NAME: reads the BENCH_* settings, tees the output to bench/out/NAME-<time>.txt.
# Messages are prefixed with $bench_label (default bench/NAME).
bench_setup() {
  bench_name=$1
  bench_label=${bench_label:-bench/$bench_name}
  duration=${BENCH_DURATION:-15}
  warmup=${BENCH_WARMUP:-3}
  rounds=${BENCH_ROUNDS:-1}
  pool=${BENCH_POOL_SIZE:-$(config_number pool_size)}
  http_threads=${BENCH_HTTP_THREADS:-$(config_number threads)}
  connections=${BENCH_CONNECTIONS:-$((2 * pool))}
  wrk_threads=${BENCH_WRK_THREADS:-2}
  pgbench_threads=${BENCH_PGBENCH_THREADS:-2}
  jobs=${BENCH_JOBS:-2}
  pin=${BENCH_PIN:-split}
  pgbench=/usr/lib/postgresql/15/bin/pgbench
  gridcase=build/release/src/gridcase
  for number in "$duration" "$warmup" "$rounds" "$pool" "$http_threads" "$connections" \
    "$wrk_threads" "$pgbench_threads" "$jobs"; do
    [[ "$number" =~ ^[1-9][0-9]*$ ]] || die "settings must be positive integers (got '$number')"
  done
  ((connections >= wrk_threads)) || die "BENCH_CONNECTIONS must be at least BENCH_WRK_THREADS"
  ((pgbench_threads <= pool)) || pgbench_threads=$pool
  [[ "$pin" == split || "$pin" == none ]] || die "BENCH_PIN must be split or none (got '$pin')"
  all_cpus=0-$(($(nproc) - 1))
  if [[ "$pin" == split ]] && (($(nproc) < 2)); then pin=none; fi
  if [[ "$pin" == split ]]; then
    # PostgreSQL on the upper half of the cores; the server, wrk and pgbench's client below.
    client_cpus=0-$(($(nproc) / 2 - 1))
    db_cpus=$(($(nproc) / 2))-$(($(nproc) - 1))
  else
    client_cpus=$all_cpus db_cpus=$all_cpus
  fi

  mkdir -p bench/out
  report=bench/out/$bench_name-$(date -u +%Y%m%dT%H%M%SZ).txt
  exec > >(tee "$report") 2>&1

  tmp=$(mktemp -d)
  server_pid=
  bench_server_prefix=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_stop_server() {
  [[ -n "$server_pid" ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 150); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

bench_cleanup() {
  bench_stop_server
  bench_unpin_database
  rm -rf "$tmp"
}

# bench_build: the tools (apt) and the release preset, unless BENCH_NO_BUILD=1.
bench_build() {
  if ! command -v wrk >/dev/null || ! command -v curl >/dev/null || [[ ! -x "$pgbench" ]]; then
    GRIDCASE_BENCH=1 ./scripts/install-deps.sh
  fi
  if [[ "${BENCH_NO_BUILD:-}" == 1 ]]; then
    [[ -x "$gridcase" ]] || die "BENCH_NO_BUILD=1 but $gridcase is missing"
    echo "$bench_label: using the existing $gridcase (built $(date -r "$gridcase" '+%F %T'))"
    return
  fi
  # Warnings are the dev build's business; a benchmark must not stop at one (g++ 12 at -O2 has
  # false positives on Asio coroutine frames, e.g. -Wmismatched-new-delete).
  echo "$bench_label: building the release preset"
  ./scripts/npm-ci.sh src/web
  if ! { cmake --preset release -DGRIDCASE_WARNINGS_AS_ERRORS=OFF &&
    cmake --build --preset release -j "$jobs"; } >"$tmp/build.log" 2>&1; then
    tail -n 40 "$tmp/build.log"
    die "build failed"
  fi
}

# bench_database NAME: the private PostgreSQL, database NAME migrated and holding the demo
# district. Sets db_url, db_port and psql (an array: psql on that database).
bench_database() {
  database=$1
  ./scripts/pg.sh start
  ./scripts/pg.sh ensure "$database"
  db_url=$(./scripts/pg.sh url "$database")
  [[ "$db_url" =~ ^postgresql://[a-z_]+@127\.0\.0\.1:([0-9]+)/${database}$ ]] ||
    die "the database URL must be on 127.0.0.1 (got $db_url)"
  db_port=${BASH_REMATCH[1]}
  # The caller's GRIDCASE_* settings must not redirect the server or the database.
  unset GRIDCASE_DATABASE_URL GRIDCASE_HTTP_PORT GRIDCASE_LOG_LEVEL
  GRIDCASE_DATABASE_URL=$db_url GRIDCASE_LOG_LEVEL=warn "$gridcase" migrate
  GRIDCASE_DATABASE_URL=$db_url GRIDCASE_LOG_LEVEL=warn "$gridcase" seed-demo >/dev/null
  psql=(/usr/lib/postgresql/15/bin/psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$db_port"
        -U gridcase -d "$database")
}

# bench_intake_body DESCRIPTION LON LAT: the JSON of a 12345-hotline intake by the integration
# account (bench/wrk_common.lua's intake_body writes the same for wrk).
bench_intake_body() {
  printf '{"channel":"hotline_12345","description":"%s","lon":%s,"lat":%s,"category":"event:0101",' "$1" "$2" "$3"
  printf '"reporter":{"name":"张三","phone":"13812345678"},'
  printf '"call":{"started_at":"2026-11-30T01:00:00Z","ended_at":"2026-11-30T01:03:00Z","operator":"op-07"}}'
}

# bench_token USERNAME: a bearer token of a demo account, written straight into the database
# (only its SHA-256, as the server stores tokens).
bench_token() {
  local token
  token=gct_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "${psql[@]}" -c "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at)
                   SELECT id, 'session', 'bench', sha256(convert_to('$token', 'UTF8')),
                          now() + interval '1 day'
                   FROM users WHERE username = '$1'" >/dev/null
  echo "$token"
}

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

# bench_start_server [KEY=VALUE...]: `gridcase serve` on a free loopback port with the bench
# settings, access log off, log level warn, and each numeric or boolean config KEY (e.g.
# max_connections, idle_timeout_seconds; `enabled` is both the scheduler's and the nightly
# report job's) set to VALUE, run under the command in the array bench_server_prefix when one is
# set (e.g. prlimit). Sets base (http://127.0.0.1:PORT).
bench_start_server() {
  local port config expected pair extra=() expect_extra=()
  for pair in "$@"; do
    [[ "$pair" =~ ^([a-z_]+)=([0-9]+|true|false)$ ]] || die "bench_start_server: not KEY=VALUE: $pair"
    extra+=(-e "s#^\( *\"${BASH_REMATCH[1]}\": *\)\([0-9][0-9]*\|true\|false\)#\1${BASH_REMATCH[2]}#")
    expect_extra+=("\"${BASH_REMATCH[1]}\": ${BASH_REMATCH[2]}")
  done
  port=$(free_port)
  config=$tmp/gridcase.json
  sed "${extra[@]}" -e "s|^\( *\"address\": *\)\"[^\"]*\"|\1\"127.0.0.1\"|" \
    -e "s|^\( *\"port\": *\)[0-9]*|\1$port|" \
    -e "s|^\( *\"threads\": *\)[0-9]*|\1$http_threads|" \
    -e "s|^\( *\"access_log\": *\)true|\1false|" \
    -e "s|^\( *\"url\": *\)\"[^\"]*\"|\1\"$db_url\"|" \
    -e "s|^\( *\"pool_size\": *\)[0-9]*|\1$pool|" \
    -e "s|^\( *\"level\": *\)\"[^\"]*\"|\1\"warn\"|" \
    config/gridcase.json >"$config"
  for expected in "\"address\": \"127.0.0.1\"" "\"port\": $port" "\"threads\": $http_threads" \
    "\"access_log\": false" "\"url\": \"$db_url\"" "\"pool_size\": $pool" "\"level\": \"warn\"" \
    "${expect_extra[@]}"; do
    grep -qF "$expected" "$config" || die "could not set $expected in the bench config"
  done
  "${bench_server_prefix[@]}" "$gridcase" serve --config "$config" >"$tmp/server.log" 2>&1 &
  server_pid=$!
  base=http://127.0.0.1:$port
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$base/readyz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; die "the server exited"; }
    sleep 0.1
  done
  curl -fsS -o /dev/null "$base/readyz" || { cat "$tmp/server.log"; die "the server is not ready"; }
}

# bench_pgbench_script QUERY_FILE OUT [SUBSTITUTION...]: the server's statement from
# src/storage/queries/QUERY_FILE, comments dropped, each `$N` replaced by the substitution given
# as "N=TEXT" (a pgbench :variable, or a NULL literal for a parameter the request leaves NULL).
# Fails when a parameter is left over, so the script cannot drift from the server's SQL.
bench_pgbench_script() {
  local source=src/storage/queries/$1 out=$2 expression='' pair
  shift 2
  for pair in "$@"; do
    # Highest numbers first is not needed: \b keeps $1 from matching $12.
    expression+="s/\\\$${pair%%=*}\\b/${pair#*=}/g;"
  done
  grep -v '^[[:space:]]*--' "$source" | sed -e "$expression" >>"$out"
  echo ';' >>"$out"
  if grep -q '\$[0-9]' "$out"; then die "$1 has parameters the bench does not set"; fi
}

# --- topology ----------------------------------------------------------------------------------
# With BENCH_PIN=split, bench_measure runs PostgreSQL on cores of its own and every client of it
# (the server and wrk, or pgbench) on the others, as in production where the database does not
# share its cores with the application and the load. Both sides of the comparison get the same
# cores for PostgreSQL, so the ratio says how much of the database's throughput the endpoint
# keeps, not how much CPU the server adds to a shared pair of cores (BENCH_PIN=none measures that).
cluster_pids() {  # the postmaster of scripts/pg.sh and every process it started
  local postmaster
  postmaster=$(head -n 1 "$(readlink -f var/pg)/postmaster.pid" 2>/dev/null) || return 0
  [[ "$postmaster" =~ ^[0-9]+$ ]] || return 0
  echo "$postmaster"
  pgrep -P "$postmaster" || true
}
pin_pids() {  # CPUS PID...: every thread of each PID onto CPUS (a process gone meanwhile is fine)
  local cpus=$1 pid
  shift
  for pid in "$@"; do taskset -a -p -c "$cpus" "$pid" >/dev/null 2>&1 || true; done
}
bench_pin_database() {  # new backends inherit the postmaster's affinity
  [[ "$pin" == split ]] || return 0
  mapfile -t pids < <(cluster_pids)
  ((${#pids[@]} > 0)) || die "cannot find the PostgreSQL cluster's processes to pin"
  pin_pids "$db_cpus" "${pids[@]}"
  database_pinned=1
}
bench_unpin_database() {
  [[ "${database_pinned:-}" == 1 ]] || return 0
  mapfile -t pids < <(cluster_pids)
  pin_pids "$all_cpus" "${pids[@]}"
  database_pinned=
}

# --- measurement -------------------------------------------------------------------------------
# CPU is the scarce resource on a small machine, so every phase also reports the CPU time each
# party spent per request: PostgreSQL's backends, the server, and the load generator.
hz=$(getconf CLK_TCK)
machine_ticks() {  # busy and total ticks of all cores since boot
  awk '/^cpu /{ busy = $2 + $3 + $4 + $7 + $8 + $9; total = busy + $5 + $6; print busy, total; exit }' /proc/stat
}
ticks_of() {  # "pid ticks" (user + system) per line for the given pids still alive
  local pid
  for pid in "$@"; do
    awk -v pid="$pid" '{ print pid, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
  done
}
ticks_between() {  # two ticks_of outputs → ticks spent by the pids present in both
  awk 'NR == FNR { before[$1] = $2; next } ($1 in before) { sum += $2 - before[$1] } END { print sum + 0 }' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
backends_of() {  # pids of this database's sessions of application $1 opened since $2
  "${psql[@]}" -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
                   AND application_name = '$1' AND backend_start >= '${2:-epoch}'
                   AND state IS NOT NULL AND pid <> pg_backend_pid()"
}
per_request_us() {  # ticks, requests → microseconds of CPU per request
  awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.0f", (n > 0 ? 1e6 * t / hz / n : 0) }'
}
busy_percent() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }'; }
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# run_wrk SECONDS: wrk with bench/$wrk_script on $base$wrk_path (and $wrk_headers, an array of
# -H options) → the WRK line the script prints.
run_wrk() {
  timeout $(($1 + 30)) taskset -c "$client_cpus" wrk -t"$wrk_threads" -c"$connections" -d"${1}s" --timeout "${wrk_timeout:-5}s" \
    "${wrk_headers[@]}" -s "bench/$wrk_script" "$base$wrk_path" | grep '^WRK '
}
run_pgbench() {  # seconds → pgbench's report on $pgbench_script
  timeout $(($1 + 30)) taskset -c "$client_cpus" "$pgbench" -n -M prepared -c "$pool" -j "$pgbench_threads" -T "$1" \
    "${pgbench_options[@]}" -f "$pgbench_script" -h 127.0.0.1 -p "$db_port" -U gridcase "$database" 2>&1
}

# bench_measure: prints the set-up, then $rounds rounds of wrk then pgbench, adjacent in time.
# Needs wrk_script, wrk_path, wrk_headers, pgbench_script, pgbench_options, what (the route).
bench_measure() {
  local cores round line requests client tps mean failed transactions in_window window pids
  local busy0 total0 busy1 total1 server0 server1 backends0 backends1 since launched sampled0 pgbench_job bad
  cores=$(nproc)
  echo
  echo "machine: $cores cores, $(awk '{ print "load " $1 " " $2 " " $3 }' /proc/loadavg) before the run"
  echo "server:  http.threads=$http_threads database.pool_size=$pool access_log=false log=warn, $base"
  echo "wrk:     -t$wrk_threads -c$connections -d${duration}s, $what"
  echo "pgbench: -M prepared -c$pool -j$pgbench_threads -T$duration, the same statement and parameters"
  if [[ "$pin" == split ]]; then
    echo "cores:   PostgreSQL on $db_cpus; the server, wrk and pgbench's client on $client_cpus (BENCH_PIN=split)"
  else
    echo "cores:   all parties share $all_cpus (BENCH_PIN=none)"
  fi
  if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
    echo "note:    the machine is not idle; other work competes for the cores"
  fi

  bench_pin_database
  pin_pids "$client_cpus" "$server_pid"
  wrk_rps=() wrk_mean=() wrk_p99=() pg_tps=() pg_mean=()
  TIMEFORMAT='%U %S'
  for round in $(seq "$rounds"); do
    echo
    echo "round $round/$rounds"

    # The endpoint: wrk → gridcase → the pool's backends.
    run_wrk "$warmup" >"$tmp/warmup.txt" || { cat "$tmp/warmup.txt"; die "wrk failed in the warm-up"; }
    mapfile -t pids < <(backends_of gridcase)
    read -r busy0 total0 < <(machine_ticks)
    server0=$(ticks_of "$server_pid")
    backends0=$(ticks_of "${pids[@]}")
    { time run_wrk "$duration" >"$tmp/wrk.txt"; } 2>"$tmp/wrk.time" || die "wrk failed"
    read -r busy1 total1 < <(machine_ticks)
    server1=$(ticks_of "$server_pid")
    backends1=$(ticks_of "${pids[@]}")
    line=$(cat "$tmp/wrk.txt")
    [[ -n "$line" ]] || die "wrk printed no result"
    for bad in non2xx connect_errors read_errors write_errors timeouts; do
      [[ "$(field "$bad" "$line")" == 0 ]] || die "wrk saw $bad: $line"
    done
    requests=$(field requests "$line")
    client=$(awk -v hz="$hz" 'END { printf "%.0f", ($1 + $2) * hz }' "$tmp/wrk.time")
    wrk_rps+=("$(field rps "$line")")
    wrk_mean+=("$(field mean_ms "$line")")
    wrk_p99+=("$(field p99_ms "$line")")
    printf '  endpoint: %8.1f req/s  mean %6.3f ms  p50 %6.3f ms  p99 %6.3f ms  (%s requests)\n' \
      "$(field rps "$line")" "$(field mean_ms "$line")" "$(field p50_ms "$line")" \
      "$(field p99_ms "$line")" "$requests"
    printf '            cpu per request: postgres %s us, gridcase %s us, wrk %s us; cores %s%% busy\n' \
      "$(per_request_us "$(ticks_between "$backends0" "$backends1")" "$requests")" \
      "$(per_request_us "$(ticks_between "$server0" "$server1")" "$requests")" "$(per_request_us "$client" "$requests")" \
      "$(busy_percent $((busy1 - busy0)) $((total1 - total0)))"

    # The same statement straight from pgbench. Its backends live only as long as the run, so
    # their CPU is sampled from when all are connected until just before the run ends.
    run_pgbench "$warmup" >"$tmp/warmup.txt" || { cat "$tmp/warmup.txt"; die "pgbench failed in the warm-up"; }
    since=$("${psql[@]}" -c "SELECT now()")  # the warm-up's backends may still be on their way out
    read -r busy0 total0 < <(machine_ticks)
    launched=$(date +%s.%N)
    { time run_pgbench "$duration" >"$tmp/pgbench.txt"; } 2>"$tmp/pgbench.time" &
    pgbench_job=$!
    sleep 1
    for _ in $(seq 50); do  # every client connected (a loaded machine may take a while)
      mapfile -t pids < <(backends_of pgbench "$since")
      ((${#pids[@]} >= pool)) && break
      sleep 0.1
    done
    backends0=$(ticks_of "${pids[@]}")
    sampled0=$(date +%s.%N)
    sleep "$(awk -v l="$launched" -v d="$duration" -v n="$sampled0" 'BEGIN { s = l + d - 0.7 - n; printf "%.2f", (s > 0.2 ? s : 0.2) }')"
    backends1=$(ticks_of "${pids[@]}")
    window=$(awk -v a="$sampled0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
    wait "$pgbench_job" || { cat "$tmp/pgbench.txt"; die "pgbench failed"; }
    read -r busy1 total1 < <(machine_ticks)
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$tmp/pgbench.txt")
    mean=$(sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' "$tmp/pgbench.txt")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$tmp/pgbench.txt")
    [[ -n "$tps" && -n "$mean" ]] || { cat "$tmp/pgbench.txt"; die "pgbench printed no result"; }
    [[ "${failed:-0}" == 0 ]] || { cat "$tmp/pgbench.txt"; die "pgbench transactions failed"; }
    transactions=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$tmp/pgbench.txt")
    client=$(awk -v hz="$hz" 'END { printf "%.0f", ($1 + $2) * hz }' "$tmp/pgbench.time")
    in_window=$(awk -v t="$tps" -v w="$window" 'BEGIN { printf "%.0f", t * w }')
    pg_tps+=("$tps")
    pg_mean+=("$mean")
    printf '  pgbench:  %8.1f tx/s   mean %6.3f ms  (%s transactions)\n' "$tps" "$mean" "$transactions"
    printf '            cpu per transaction: postgres %s us, pgbench %s us; cores %s%% busy\n' \
      "$(per_request_us "$(ticks_between "$backends0" "$backends1")" "$in_window")" \
      "$(per_request_us "$client" "$transactions")" "$(busy_percent $((busy1 - busy0)) $((total1 - total0)))"
    # A script may clean up after each round (bench/upload: gigabytes of photos).
    if declare -F bench_after_round >/dev/null; then bench_after_round; fi
  done
  # The server's peak resident memory over the whole run (VmHWM), before it stops.
  server_peak_mb=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
  bench_stop_server
  bench_unpin_database
}

mean_of() { printf '%s\n' "$@" | awk '{ s += $1; n++ } END { printf "%.3f", s / n }'; }

# bench_summary TARGET_RATIO [P99_LIMIT_MS]: both figures, then their ratio, last (TARGET_RATIO
# "-": none, the ratio only).
bench_summary() {
  local target=$1 p99_limit=${2:-} endpoint_rps pgbench_tps p99
  endpoint_rps=$(mean_of "${wrk_rps[@]}")
  pgbench_tps=$(mean_of "${pg_tps[@]}")
  p99=$(mean_of "${wrk_p99[@]}")
  echo
  printf 'endpoint %s: %.1f req/s, mean latency %.3f ms, p99 %.3f ms\n' \
    "$what" "$endpoint_rps" "$(mean_of "${wrk_mean[@]}")" "$p99"
  if [[ -n "$p99_limit" ]]; then
    awk -v p="$p99" -v l="$p99_limit" 'BEGIN { printf "p99 target < %d ms: %s\n", l, (p < l ? "met" : "NOT met") }'
  fi
  printf 'pgbench, the same SQL: %.1f tx/s, mean latency %.3f ms\n' "$pgbench_tps" "$(mean_of "${pg_mean[@]}")"
  awk -v e="$endpoint_rps" -v p="$pgbench_tps" -v t="$target" 'BEGIN {
    r = e / p
    if (t == "-") printf "ratio endpoint / pgbench: %.3f\n", r
    else printf "ratio endpoint / pgbench: %.2f (target >= %.2f: %s)\n", r, t, (r >= t ? "met" : "NOT met")
  }'
}

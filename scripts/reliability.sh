#!/usr/bin/env bash
# The slow reliability tests of issue 6 (not in CI; docs/reliability-hostile.md has the figures):
#
#   scripts/reliability.sh slow-clients     slowhttptest: slow headers, slow body, slow read
#   scripts/reliability.sh idle             5,000 idle connections, cap below and above 5,000
#   scripts/reliability.sh soak [MINUTES]   capacity of a mixed workload, then MINUTES (30) at half
#   scripts/reliability.sh all [MINUTES]    the three in turn
#
# and those of issue 18, on the HA topology of scripts/cluster.sh (which they start when it is not
# running; docs/operations.md, figures in docs/reliability.md):
#
#   scripts/reliability.sh failover [RUNS]  keyed intake load through HAProxy from 8 clients, kill -9
#                                           of the primary's keeper and postmaster; RUNS (5) times
#   scripts/reliability.sh failover-ci      one failover on a cluster of its own (other ports, state
#                                           in build/), created and destroyed: tests/CMakeLists.txt
#   scripts/reliability.sh partition [RUNS] cut every link of the primary (then all but gridcase's)
#                                           under the same load, on a cluster of its own with a proxy
#                                           on every link; no split brain, nothing acknowledged lost
#   scripts/reliability.sh node-kill        kill -9 of one gridcase node under the same load
#   scripts/reliability.sh node-stop        SIGTERM instead: it drains, no request may fail
#
# Each subcommand sets up like bench/ does (bench/lib.sh: the release build, the private
# PostgreSQL of scripts/pg.sh, a database holding the demo district), starts its own
# `gridcase serve` on a free port of 127.0.0.1, prints a summary with its figures and exits
# non-zero when the server failed the test. Everything runs on loopback and is bounded in time.
# A copy of the output goes to bench/out/reliability-*.txt.
#
# Environment: GRIDCASE_PG_PORT (the private cluster's port, default 5433), FAILOVER_CI_PORT
# (failover-ci's first port, default 5470), PARTITION_PORT (partition's, 5460), BENCH_NO_BUILD=1
# (use the existing release build), BENCH_JOBS (build parallelism, 2); and for the tests:
#   SLOW_CONNECTIONS (200), SLOW_SECONDS (60)                    slow-clients
#   IDLE_CONNECTIONS (5000), IDLE_CAP_BELOW (4000), IDLE_CAP_ABOVE (6000),
#   IDLE_TIMEOUT_SECONDS (15)                                    idle
#   SOAK_CONNECTIONS (16), SOAK_CAPACITY_SECONDS (20)            soak
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench_label=scripts/reliability
source bench/lib.sh

usage() {
  echo "usage: $0 slow-clients | idle | soak [MINUTES] | all [MINUTES] | failover [RUNS] | failover-ci | node-kill | node-stop" >&2
  exit 64
}

# --- what is measured on the server ------------------------------------------------------------
server_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
server_fds() { find "/proc/$server_pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
server_clients() {  # HTTP connections of the server's port it still holds a descriptor for
  ss -Htn state established state close-wait "( sport = :${base##*:} )" | wc -l
}
pg_sessions() {  # the server's sessions in PostgreSQL
  "${psql[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gridcase'
                   AND datname = current_database()"
}
server_state() { echo "rss $(server_rss_kb) kB, $(server_fds) fds, $(pg_sessions) database sessions"; }

setup() {  # NAME DATABASE: output, build, database, tokens
  bench_setup "reliability-$1"
  if ! command -v slowhttptest >/dev/null || ! command -v ss >/dev/null || ! command -v python3 >/dev/null; then
    local sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo)
    echo "$bench_label: installing slowhttptest, iproute2, python3 (apt)"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
      slowhttptest iproute2 python3 >/dev/null
  fi
  bench_build
  bench_database "$2"
}

# --- a probe: /healthz and one authenticated read every 100 ms, on new connections -------------
probe_start() {  # OUT: lines "healthz|locate STATUS SECONDS"
  local out=$1 token
  token=$(bench_token dispatcher)
  (
    while :; do
      curl -s -o /dev/null -o /dev/null --max-time 5 -H 'Connection: close' -H "Authorization: Bearer $token" \
        -w '%{url_effective} %{http_code} %{time_total}\n' \
        "$base/healthz" "$base/api/v1/grid/locate?lon=109.83&lat=40.65" 2>/dev/null |
        sed -e 's|^[^ ]*/healthz |healthz |' -e 's|^[^ ]*/locate[^ ]* |locate |' >>"$out" || true
      sleep 0.1
    done
  ) &
  probe_pid=$!
}
probe_stop() {
  kill "$probe_pid" 2>/dev/null || true
  wait "$probe_pid" 2>/dev/null || true
}
probe_summary() {  # OUT KIND → "N probes, F failed, p50 A ms, p99 B ms, max C ms"
  awk -v kind="$2" '$1 == kind { n++; if ($2 != 200) failed++; print $3 * 1000 }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "0 probes"; exit }
      p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
      printf "%d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, p50, p99, v[NR] }'
}
probe_failures() { awk -v kind="$2" '$1 == kind && $2 != 200 { n++ } END { print n + 0 }' "$1"; }
probe_p99_ms() {
  awk -v kind="$2" '$1 == kind { print $3 * 1000 }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.0f", (NR ? v[int((NR - 1) * 0.99) + 1] : 0) }'
}

wait_for_fds() {  # LIMIT SECONDS: until the server holds at most LIMIT descriptors
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (($(server_fds) <= $1)) && return 0
    sleep 0.1
  done
  return 1
}

# --- slow-clients ------------------------------------------------------------------------------
slow_clients() {
  # (Not `connections`: bench_setup sets that one, wrk's -c.)
  local slow_connections=${SLOW_CONNECTIONS:-200} seconds=${SLOW_SECONDS:-60} mode label fds0 rss0 out
  local failed=0 verdicts=() healthz_fail locate_fail p99
  setup slow-clients gridcase_reliability
  bench_start_server
  echo
  echo "server: $base, $(sed -n 's/^ *"\(read_timeout_seconds\|write_timeout_seconds\|idle_timeout_seconds\)": *\([0-9]*\).*/\1=\2/p' "$tmp/gridcase.json" | tr '\n' ' ')"
  # The server cuts a request that takes longer than read_timeout_seconds (10 s), so one wave
  # of slow connections would be over after 10 s: slowhttptest opens connections/10 a second
  # for the whole run instead, which keeps about `connections` of them open all along.
  local rate=$((slow_connections / 10)) total=$((slow_connections * seconds / 10))
  echo "attack: slowhttptest, $total connections at $rate/s (≈ $slow_connections open at once), ${seconds} s per mode;"
  echo "probe:  GET /healthz and an authenticated GET /api/v1/grid/locate every 100 ms, new connections"
  for mode in headers body read; do
    case $mode in
      headers) label="slow headers (-H) on GET /healthz"
               args=(-H -u "$base/healthz" -i 5 -x 24) ;;
      body)    label="slow body (-B) on POST /api/v1/cases, Content-Length 8192"
               args=(-B -u "$base/api/v1/cases" -s 8192 -i 5 -x 24 -f application/json) ;;
      read)    label="slow read (-X) of GET /api/v1/openapi.yaml ×3 per connection, window 16-64 B"
               args=(-X -u "$base/api/v1/openapi.yaml" -k 3 -n 3 -w 16 -y 64 -z 16) ;;
    esac
    curl -fsS -o /dev/null "$base/healthz"
    fds0=$(server_fds)
    rss0=$(server_rss_kb)
    out=$tmp/probe-$mode.txt
    : >"$out"
    echo
    echo "== $label"
    probe_start "$out"
    timeout $((seconds + 60)) slowhttptest "${args[@]}" -c "$total" -r "$rate" -l "$seconds" -p 3 \
      -g -o "$tmp/slow-$mode" >"$tmp/slow-$mode.log" 2>&1 || true
    probe_stop
    echo "slowhttptest: $(grep -o 'service available:.*' "$tmp/slow-$mode.log" | tail -n 1 | tr -s ' ')," \
      "most connected at once: $(awk -F, 'NR > 1 && $4 > m { m = $4 } END { print m + 0 }' "$tmp/slow-$mode.csv" 2>/dev/null)"
    echo "healthz: $(probe_summary "$out" healthz), $(probe_failures "$out" healthz) failed"
    echo "locate:  $(probe_summary "$out" locate), $(probe_failures "$out" locate) failed"
    echo "server before: rss $rss0 kB, $fds0 fds; right after: $(server_state)"
    if wait_for_fds "$fds0" 45; then
      echo "server fds back to $(server_fds) (≤ $fds0 before) — rss $(server_rss_kb) kB"
    else
      echo "server fds NOT back to $fds0 within 45 s: $(server_fds)"
      failed=1
    fi
    healthz_fail=$(probe_failures "$out" healthz)
    locate_fail=$(probe_failures "$out" locate)
    p99=$(probe_p99_ms "$out" healthz)
    if ((healthz_fail > 0 || locate_fail > 0 || p99 >= 100)); then
      verdicts+=("$mode: NOT available (healthz failed $healthz_fail, locate failed $locate_fail, healthz p99 $p99 ms)")
      failed=1
    else
      verdicts+=("$mode: available (every probe answered 200, healthz p99 $p99 ms < 100 ms)")
    fi
  done
  echo
  echo "summary (slow-clients, ≈ $slow_connections connections open at once, ${seconds} s per mode):"
  printf '  %s\n' "${verdicts[@]}"
  echo "  'accept failed' lines in the server log: $(grep -c 'accept failed' "$tmp/server.log" || true)"
  return "$failed"
}

# --- idle --------------------------------------------------------------------------------------
idle_round() {  # CAP [EFFECTIVE_CAP]: EFFECTIVE_CAP when the server must lower CAP itself
  local cap=${2:-$1} connections=${IDLE_CONNECTIONS:-5000} timeout=${IDLE_TIMEOUT_SECONDS:-15} out
  bench_start_server "max_connections=$1" "idle_timeout_seconds=$timeout"
  out=$tmp/idle-$1-$cap.txt
  echo
  echo "== $connections idle connections, http.max_connections=$1, idle_timeout_seconds=$timeout," \
    "descriptor limit $(awk '/^Max open files/ { print $4 }' "/proc/$server_pid/limits")"
  if (($# > 1)); then
    grep -o 'http.max_connections .*' "$tmp/server.log" | sed 's/^/server: /' || true
  fi
  timeout $((timeout + 90)) python3 scripts/idle-clients.py "${base##*:}" "$server_pid" "$connections" \
    "$timeout" | tee "$out"
  local refused opened fds_open fds_before fds_after healthz_open healthz_after never expected_refused
  kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" "$out"; }
  opened=$(kv opened)
  refused=$(kv closed_by_server_within_2s)
  fds_before=$(kv server_fds_before)
  fds_open=$(kv server_fds_while_open)
  fds_after=$(kv server_fds_after_close)
  healthz_open=$(kv healthz_while_open)
  healthz_after=$(kv healthz_after_reaping)
  never=$(kv never_closed)
  echo "gridcase_http_refused_connections_total: $(curl -fsS "$base/metrics" |
    awk '$1 == "gridcase_http_refused_connections_total" { print $2 }')"
  local accept_failed
  accept_failed=$(grep -c 'accept failed' "$tmp/server.log" || true)
  echo "'accept failed' lines in the server log: $accept_failed"
  expected_refused=$((opened > cap ? opened - cap : 0))
  local verdict=ok
  # The over-cap connections are closed at once; the probe itself may take one slot of the cap.
  ((refused >= expected_refused && refused <= expected_refused + 1)) || verdict="cap not held"
  ((fds_open <= fds_before + cap + 2)) || verdict="fds over the cap"
  ((never == 0)) || verdict="idle connections not reaped"
  ((fds_after <= fds_before)) || verdict="fds not back to baseline"
  ((accept_failed == 0)) || verdict="accept failed (out of descriptors)"
  [[ "$healthz_after" == HTTP/1.1_200_OK ]] || verdict="healthz not answering after reaping"
  if ((opened < cap)); then
    [[ "$healthz_open" == HTTP/1.1_200_OK ]] || verdict="healthz not answering below the cap"
  fi
  idle_verdicts+=("max_connections $1 (effective $cap): opened $opened, closed at once $refused (expected $expected_refused), server fds $fds_before → $fds_open → $fds_after, healthz while open: $healthz_open, after reaping: $healthz_after — $verdict")
  [[ "$verdict" == ok ]] || idle_failed=1
  bench_stop_server
}

idle() {
  local limit=${IDLE_FD_LIMIT:-1024}
  idle_verdicts=() idle_failed=0
  setup idle gridcase_reliability
  echo
  echo "file descriptor limit of this shell (inherited by server and client): $(ulimit -n)"
  (($(ulimit -n) >= 2 * ${IDLE_CONNECTIONS:-5000} + 200)) ||
    ulimit -n $((2 * ${IDLE_CONNECTIONS:-5000} + 200)) ||
    die "cannot raise the descriptor limit to $((2 * ${IDLE_CONNECTIONS:-5000} + 200))"
  idle_round "${IDLE_CAP_BELOW:-4000}"
  idle_round "${IDLE_CAP_ABOVE:-6000}"
  # A cap above what the descriptor limit allows: the server lowers it to the limit less its
  # reserve (pool + 64), so connections are refused instead of accept() failing with EMFILE.
  bench_server_prefix=(prlimit "--nofile=$limit:$limit" --)
  idle_round "${IDLE_CAP_ABOVE:-6000}" $((limit - pool - 64))
  bench_server_prefix=()
  echo
  echo "summary (idle):"
  printf '  %s\n' "${idle_verdicts[@]}"
  return "$idle_failed"
}

# --- soak --------------------------------------------------------------------------------------
soak_wrk() {  # SECONDS DELAY_MS → the WRK line
  # Each run numbers its intakes from 1 again: a run id of its own keeps the keys unique.
  SOAK_RUN=$soak_run-$(date +%s%N) SOAK_DELAY_MS=$2 timeout $(($1 + 30)) wrk -t2 -c"$soak_connections" -d"${1}s" --timeout 5s \
    -s bench/soak.lua "$base" | grep '^WRK '
}

soak() {
  local minutes=${1:-30} capacity target delay line achieved latency minute sampler
  [[ "$minutes" =~ ^[1-9][0-9]*$ ]] || usage
  soak_connections=${SOAK_CONNECTIONS:-16}
  setup soak gridcase_soak
  # A fresh start, as bench/intake: earlier runs' open cases would slow the duplicate check.
  "${psql[@]}" -c "SET session_replication_role = replica" \
    -c "TRUNCATE cases, case_events, case_timers, reporter_disclosures, idempotency_keys CASCADE" >/dev/null
  bench_start_server
  SOAK_TOKEN_DISPATCHER=$(bench_token dispatcher)
  SOAK_TOKEN_SUPERVISOR=$(bench_token supervisor)
  SOAK_TOKEN_INTEGRATION=$(bench_token integration)
  soak_run=$(date -u +%Y%m%dT%H%M%S)
  export SOAK_TOKEN_DISPATCHER SOAK_TOKEN_SUPERVISOR SOAK_TOKEN_INTEGRATION

  echo
  echo "workload: bench/soak.lua — 55% locate (dispatcher), 30% case list (supervisor), 15% keyed intake"
  echo "server:   $base, http.threads=$http_threads, pool_size=$pool; wrk -t2 -c$soak_connections"
  soak_wrk 5 0 >/dev/null
  line=$(soak_wrk "${SOAK_CAPACITY_SECONDS:-20}" 0)
  capacity=$(field rps "$line")
  echo "capacity: $(printf '%.0f' "$capacity") req/s, p99 $(field p99_ms "$line") ms, non-2xx $(field non2xx "$line")"
  [[ "$(field non2xx "$line")" == 0 ]] || die "the capacity run saw non-2xx answers: $line"
  target=$(awk -v c="$capacity" 'BEGIN { printf "%.1f", c / 2 }')
  # wrk paces with a pause after each answer: rate = connections / (pause + latency). One
  # calibration run finds the latency at about the target rate.
  delay=$(awk -v n="$soak_connections" -v r="$target" 'BEGIN { printf "%d", 1000 * n / r }')
  line=$(soak_wrk 20 "$delay")
  achieved=$(field rps "$line")
  latency=$(awk -v n="$soak_connections" -v a="$achieved" -v d="$delay" 'BEGIN { printf "%.2f", 1000 * n / a - d }')
  delay=$(awk -v n="$soak_connections" -v r="$target" -v l="$latency" 'BEGIN { d = 1000 * n / r - l; printf "%d", (d > 0 ? d + 0.5 : 0) }')
  echo "target:   $target req/s (half); calibration at ${achieved} req/s → pause ${delay} ms per answer"

  local samples=$tmp/soak-samples.txt minutes_file=$tmp/soak-minutes.txt quiet=$tmp/soak-quiet.txt
  : >"$samples"
  : >"$minutes_file"
  : >"$quiet"
  (
    while :; do
      echo "$(date +%s) $(server_rss_kb) $(server_fds) $(server_clients) $(pg_sessions)" >>"$samples"
      sleep 10
    done
  ) &
  sampler=$!
  echo
  # Between two one-minute wrk runs no client is connected: the descriptors counted then are
  # the server's own (database, listener, log, acceptor), which must not change.
  echo "minute  req/s    p50 ms   p99 ms   max ms   non-2xx  5xx   rss kB   fds*  db  pause  load   (* with no client connected)"
  for minute in $(seq "$minutes"); do
    line=$(soak_wrk 60 "$delay") || line="WRK requests=0 rps=0 p50_ms=0 p99_ms=0 max_ms=0 non2xx=1 server_errors=0 (wrk failed)"
    echo "$minute $line" >>"$minutes_file"
    for _ in $(seq 20); do (($(server_clients) == 0)) && break; sleep 0.1; done
    echo "$minute $(server_fds) $(pg_sessions) $(server_clients)" >>"$quiet"
    printf '%6d %7.0f %8.2f %8.2f %8.1f %8s %4s %8s %5s %4s %6s  %s\n' "$minute" "$(field rps "$line")" \
      "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field max_ms "$line")" \
      "$(field non2xx "$line")" "$(field server_errors "$line")" "$(server_rss_kb)" \
      "$(awk 'END { print $2 }' "$quiet")" "$(awk 'END { print $3 }' "$quiet")" "$delay" \
      "$(cut -d' ' -f1 /proc/loadavg)"
    # Other work on the machine changes the latency, hence the rate: re-aim the pause at the
    # target from what this minute achieved, half-way (the latency swings from minute to minute).
    achieved=$(field rps "$line")
    if awk -v a="$achieved" 'BEGIN { exit !(a > 0) }'; then
      latency=$(awk -v n="$soak_connections" -v a="$achieved" -v d="$delay" 'BEGIN { printf "%.2f", 1000 * n / a - d }')
      delay=$(awk -v n="$soak_connections" -v r="$target" -v l="$latency" -v old="$delay" \
        'BEGIN { d = 1000 * n / r - l; if (d < 0) d = 0; printf "%d", (old + d) / 2 + 0.5 }')
    fi
  done
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true

  # Figures: RSS first and last sample; fds (all, sampled every 10 s under load; and the
  # server's own, counted between the minutes with no client connected) and database sessions
  # min/max; p99 drift: the median of the last five minutes' p99 against the first five (fewer
  # when the run is shorter).
  local rss_start rss_end growth fd_min fd_max own_min own_max db_min db_max window p99_first p99_last drift
  local non2xx errors failed=0 verdicts=()
  read -r rss_start rss_end < <(awk 'NR == 1 { s = $2 } { e = $2 } END { print s, e }' "$samples")
  growth=$(awk -v s="$rss_start" -v e="$rss_end" 'BEGIN { printf "%.2f", 100 * (e - s) / s }')
  read -r fd_min fd_max db_min db_max < <(awk '
    NR == 1 { a = b = $3; e = f = $5 }
    { if ($3 < a) a = $3; if ($3 > b) b = $3; if ($5 < e) e = $5; if ($5 > f) f = $5 }
    END { print a, b, e, f }' "$samples")
  read -r own_min own_max < <(awk 'NR == 1 { a = b = $2 } { if ($2 < a) a = $2; if ($2 > b) b = $2 }
    END { print a, b }' "$quiet")
  window=$(( minutes >= 15 ? 5 : (minutes + 2) / 3 ))
  median_p99() {  # FIRST_MINUTE COUNT
    awk -v from="$1" -v n="$2" '$1 >= from && $1 < from + n { print $0 }' "$minutes_file" |
      sed -n 's/.*\bp99_ms=\([0-9.]*\).*/\1/p' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
  }
  p99_first=$(median_p99 1 "$window")
  p99_last=$(median_p99 $((minutes - window + 1)) "$window")
  drift=$(awk -v a="$p99_first" -v b="$p99_last" 'BEGIN { printf "%.1f", 100 * (b - a) / a }')
  non2xx=$(sed -n 's/.*\bnon2xx=\([0-9]*\).*/\1/p' "$minutes_file" | awk '{ s += $1 } END { print s + 0 }')
  errors=$(sed -n 's/.*\bserver_errors=\([0-9]*\).*/\1/p' "$minutes_file" | awk '{ s += $1 } END { print s + 0 }')
  local requests
  requests=$(sed -n 's/.*\brequests=\([0-9]*\).*/\1/p' "$minutes_file" | awk '{ s += $1 } END { print s }')

  echo
  echo "summary (soak, $minutes minutes at $target req/s = half of $(printf '%.0f' "$capacity"), $requests requests):"
  echo "  rss: start $rss_start kB, end $rss_end kB, growth $growth% (limit < 5%)"
  echo "  fds: $own_min–$own_max with no client connected, after each minute (flat: max − min ≤ 1); $fd_min–$fd_max under load"
  echo "  database sessions: $db_min–$db_max (flat: max − min = 0)"
  echo "  p99: first $window min $p99_first ms, last $window min $p99_last ms, drift $drift% (limit < 20%)"
  echo "  non-2xx: $non2xx, 5xx: $errors"
  awk -v g="$growth" 'BEGIN { exit !(g >= 5) }' && { verdicts+=("RSS grew $growth%"); failed=1; }
  ((own_max - own_min <= 1)) || { verdicts+=("fds not flat ($own_min–$own_max)"); failed=1; }
  ((db_max == db_min)) || { verdicts+=("database sessions not flat ($db_min–$db_max)"); failed=1; }
  awk -v d="$drift" 'BEGIN { exit !(d >= 20) }' && { verdicts+=("p99 drifted $drift%"); failed=1; }
  ((non2xx == 0)) || { verdicts+=("non-2xx answers: $non2xx"); failed=1; }
  ((errors == 0)) || { verdicts+=("5xx answers: $errors"); failed=1; }
  if ((failed)); then
    echo "  verdict: FAILED — ${verdicts[*]}"
  else
    echo "  verdict: passed"
  fi
  return "$failed"
}


# --- failover and node-kill (issue 18) ---------------------------------------------------------
# The load: scripts/ha-load.py, 8 clients of keyed intakes through HAProxy, each retrying its key
# on 503/502/504/409 and on no answer. Its lines: "START END STATUS KEY CASE_NO".
ha_setup() {  # NAME
  bench_label=scripts/reliability
  mkdir -p bench/out
  report=bench/out/reliability-$1-$(date -u +%Y%m%dT%H%M%SZ).txt
  exec > >(tee "$report") 2>&1
  tmp=$(mktemp -d)
  trap 'ha_cleanup' EXIT
  trap 'exit 130' INT TERM
  load_pid=
  command -v python3 >/dev/null || die "python3 is missing"
  scripts/cluster.sh up
  ha_url=$(scripts/cluster.sh url)
  ha_base=http://127.0.0.1:$(scripts/cluster.sh lb-port)
  ha_psql=(/usr/lib/postgresql/15/bin/psql -X -q -At -v ON_ERROR_STOP=1 -d "$ha_url")
  ha_token=gct_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "${ha_psql[@]}" -c "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at)
                      SELECT id, 'session', 'reliability', sha256(convert_to('$ha_token', 'UTF8')),
                             now() + interval '1 day'
                      FROM users WHERE username = 'integration'" >/dev/null
  # The live-feed watchers read as a district-wide dispatcher (an integration may not listen).
  ha_reader_token=gct_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "${ha_psql[@]}" -c "INSERT INTO auth_tokens (user_id, kind, label, digest, expires_at)
                      SELECT id, 'session', 'reliability', sha256(convert_to('$ha_reader_token', 'UTF8')),
                             now() + interval '1 day'
                      FROM users WHERE username = 'dispatcher'" >/dev/null
  feed_pid=
}
ha_cleanup() {
  [[ -z "${load_pid:-}" ]] || { touch "$tmp/stop"; kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; }
  [[ -z "${feed_pid:-}" ]] || { touch "$tmp/feed-stop"; wait "$feed_pid" 2>/dev/null || true; }
  if [[ -n "${ha_destroy:-}" ]]; then
    # The logs of a failed run outlive the cluster, for whoever reads the CI output.
    if [[ -n "${ha_failed:-}" && -d "${CLUSTER_STATE:-}/log" ]]; then
      local kept=bench/out/failover-ci-logs-$(date -u +%Y%m%dT%H%M%SZ)
      cp -r "$(readlink -f "$CLUSTER_STATE")/log" "$kept" && echo "cluster logs kept in $kept"
    fi
    scripts/cluster.sh destroy >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
now() { date +%s.%N; }
acknowledged() { awk '$3 == 201' "$1" | wc -l; }
load_start() {  # RUN OUT
  rm -f "$tmp/stop"
  python3 scripts/ha-load.py "$ha_base" "$ha_token" "$1" 8 "$2" "$tmp/stop" 2>"$tmp/load-errors.txt" &
  load_pid=$!
  local i
  for ((i = 0; i < 300; i++)); do (($(acknowledged "$2") >= 50)) && return 0; sleep 0.1; done
  die "the load got fewer than 50 intakes acknowledged in 30 s"
}
load_stop() {  # → non-zero when a client saw an answer it may not retry
  touch "$tmp/stop"
  local status=0
  wait "$load_pid" || status=$?
  load_pid=
  [[ -s "$tmp/load-errors.txt" ]] && sed 's/^/  /' "$tmp/load-errors.txt"
  return "$status"
}
# The live feed: scripts/ha-feed.py reads the district's event stream through HAProxy ("lb") and
# from each gridcase node ("node1"…), reconnecting with Last-Event-ID as a browser does. Started
# before the load, so every event of the run's cases is committed while each watcher listens.
feed_start() {  # OUT
  rm -f "$tmp/feed-stop"
  local watchers=("lb=$ha_base") n i
  for n in $(seq "${CLUSTER_APPS:-3}"); do
    watchers+=("node$n=http://127.0.0.1:$((${CLUSTER_HTTP_PORT:-8091} + n - 1))")
  done
  python3 scripts/ha-feed.py "$ha_reader_token" "$1" "$tmp/feed-stop" "${watchers[@]}" &
  feed_pid=$!
  for ((i = 0; i < 100; i++)); do
    (($(awk '$2 == "open" && $3 == 200 { print $1 }' "$1" | sort -u | wc -l) == ${#watchers[@]})) && return 0
    sleep 0.1
  done
  die "the live-feed watchers could not all open their streams in 10 s"
}
# After the load: every watcher has received every event of the run's cases (it may have
# reconnected, and been sent some twice). Waits up to 30 s for stragglers (a node restarted,
# a listener catching up); prints one line per watcher; fails when one missed an event or was
# told to reset.
feed_check() {  # RUN OUT [PREFIX]
  "${ha_psql[@]}" -c "SELECT e.id FROM case_events e JOIN cases c ON c.id = e.case_id
                      WHERE c.description LIKE 'failover $1-%'" | sort -u >"$tmp/feed-expected.txt"
  local names name missing i failed=0
  names=$(awk '{ print $1 }' "$2" | sort -u)
  for ((i = 0; i < 300; i++)); do
    missing=0
    for name in $names; do
      missing=$((missing + $(comm -23 "$tmp/feed-expected.txt" <(awk -v n="$name" '$1 == n && $2 == "event" { print $3 }' "$2" | sort -u) | wc -l)))
    done
    ((missing == 0)) && break
    sleep 0.1
  done
  touch "$tmp/feed-stop"
  wait "$feed_pid" 2>/dev/null || true
  feed_pid=
  for name in $names; do
    awk -v prefix="${3:-}" -v n="$name" -v expected="$(wc -l <"$tmp/feed-expected.txt")" -v missing="$(comm -23 "$tmp/feed-expected.txt" <(awk -v n="$name" '$1 == n && $2 == "event" { print $3 }' "$2" | sort -u) | wc -l)" '
      $1 == n && $2 == "event" { got++; seen[$3]++ } $1 == n && $2 == "reset" { resets++ }
      $1 == n && $2 == "open" { if ($3 == 200) opened++; else refused++ }
      END { for (id in seen) if (seen[id] > 1) twice++
            printf "%slive feed %s: %d of %d events of the run, missed %d, repeated %d, streams opened %d (refused or unanswered %d), resets %d\n",
                   prefix, n, expected - missing, expected, missing, twice, opened, refused, resets }' "$2"
    if [[ -n "$(comm -23 "$tmp/feed-expected.txt" <(awk -v n="$name" '$1 == n && $2 == "event" { print $3 }' "$2" | sort -u))" ]] ||
      awk -v n="$name" '$1 == n && $2 == "reset" { found = 1 } END { exit !found }' "$2"; then
      failed=1
    fi
  done
  return "$failed"
}

# After the load: every acknowledged key's case stored with that key, one case per key, the
# event chain intact. Prints "lost L duplicates D mismatched M chain ok|BROKEN"; fails on any.
ha_check() {  # RUN OUT
  "${ha_psql[@]}" -F ' ' -c "SELECT substr(description, 10), case_no FROM cases
                             WHERE description LIKE 'failover $1-%'" | sort >"$tmp/stored.txt"
  awk '$3 == 201 { print $4, $5 }' "$2" | sort -u >"$tmp/acked.txt"
  local lost duplicates mismatched chain=ok
  lost=$(join -v 1 <(cut -d' ' -f1 "$tmp/acked.txt" | sort -u) <(cut -d' ' -f1 "$tmp/stored.txt" | sort -u) | wc -l)
  duplicates=$(cut -d' ' -f1 "$tmp/stored.txt" | uniq -d | wc -l)
  mismatched=$(comm -23 "$tmp/acked.txt" "$tmp/stored.txt" | wc -l)
  GRIDCASE_DATABASE_URL=$ha_url GRIDCASE_LOG_LEVEL=warn "$(scripts/cluster.sh binary)" verify-events || chain=BROKEN
  echo "acknowledged $(wc -l <"$tmp/acked.txt") (stored $(wc -l <"$tmp/stored.txt")), lost $lost, duplicates $duplicates, answered another case $mismatched, event chain $chain"
  [[ "$lost" == 0 && "$duplicates" == 0 && "$mismatched" == 0 && "$chain" == ok ]]
}
first_2xx_after() {  # OUT T: seconds from T to the end of the first 201 to a request sent after T
  awk -v t="$2" '$3 == 201 && $1 > t { if (!f || $2 < f) f = $2 } END { if (f) printf "%.1f", f - t; else print "none" }' "$1"
}

# One run's start and end, shared by failover, partition and node-kill: the cluster healthy, the
# live-feed watchers reading, the load going; afterwards every acknowledged intake stored once
# and every watcher complete (non-zero otherwise; PREFIX starts each line printed).
ha_run_start() {  # RUN OUT FEED
  scripts/cluster.sh wait-healthy 180 || die "the cluster is not healthy before run $1"
  : >"$2"
  : >"$3"
  feed_start "$3"
  load_start "$1" "$2"
}
ha_wait_rejoined() {  # NODE PREFIX: the old primary back as a standby within 180 s, else its log
  if scripts/cluster.sh wait-healthy 180; then
    echo "${2}node$1 rejoined as a standby"
    return 0
  fi
  echo "${2}node$1 did not rejoin as a standby within 180 s; the end of its log:"
  scripts/cluster.sh log "node$1" 40 | sed 's/^/  /'
  return 1
}
ha_run_verify() {  # RUN OUT FEED [PREFIX]
  local checked ok=0
  if checked=$(ha_check "$1" "$2"); then echo "${4:-}$checked"; else echo "${4:-}$checked — FAILED"; ok=1; fi
  feed_check "$1" "$3" "${4:-}" || ok=1
  return "$ok"
}

failover_run() {  # N: one failover under load; appends "N SECONDS OK" to $tmp/runs
  local n=$1 run out old t_kill i recovered retries ok=1
  run=fo$(date +%s)-$n
  out=$tmp/load-$n.txt
  ha_run_start "$run" "$out" "$tmp/feed-$n.txt"
  old=$(scripts/cluster.sh primary)
  read -r _ t_kill < <(scripts/cluster.sh kill-db "$old")
  for ((i = 0; i < 900; i++)); do
    [[ "$(first_2xx_after "$out" "$t_kill")" != none ]] && break
    sleep 0.1
  done
  sleep 3  # the load goes on a while on the new primary
  local new
  new=$(scripts/cluster.sh primary)
  load_stop || ok=0
  recovered=$(first_2xx_after "$out" "$t_kill")
  retries=$(awk -v t="$t_kill" '$1 >= t - 1 && $3 != 201 { r[$3]++ } END { for (s in r) printf "%s×%d ", (s == 0 ? "no answer" : s), r[s] }' "$out")
  echo "run $n: killed node$old (keeper, postmaster, backends); new primary node$new;" \
    "first 2xx after ${recovered} s; retried: ${retries:-none}"
  scripts/cluster.sh rejoin "$old"
  ha_wait_rejoined "$old" "run $n: " || ok=0
  ha_run_verify "$run" "$out" "$tmp/feed-$n.txt" "run $n: " || ok=0
  [[ "$recovered" != none ]] || ok=0
  echo "$n $recovered $ok" >>"$tmp/runs"
}

failover() {  # RUNS
  local runs=${1:-5} n
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
  ha_setup failover
  : >"$tmp/runs"
  echo
  echo "load: 8 clients of keyed intakes through HAProxy $ha_base (retry the key on 503/502/504/409/no answer)"
  echo "kill: kill -9 the primary's pg_autoctl (keeper) and postmaster with its backends, at once"
  for n in $(seq "$runs"); do failover_run "$n"; done
  echo
  echo "summary (failover, $runs run(s)): seconds from the kill to the first 2xx: $(awk '{ printf "%s ", $2 }' "$tmp/runs")"
  awk '{ if ($2 == "none") none++; else { s += $2; n++; if ($2 > m) m = $2 } } END {
    if (n) printf "  mean %.1f s, max %.1f s (target < 30 s: %s)\n", s / n, m, (m < 30 && !none ? "met" : "NOT met") }' "$tmp/runs"
  if awk '$3 != 1 { bad = 1 } END { exit !bad }' "$tmp/runs"; then
    echo "  verdict: FAILED (a run lost, duplicated or did not recover)"
    return 1
  fi
  echo "  verdict: passed — acknowledged lost 0, duplicates 0, event chain verified, every run"
}

# The CI-sized proof (tests/CMakeLists.txt, ctest label e2e): its own cluster on ports of its own
# (the suite's PostgreSQL is 5433 and its servers take ephemeral ports; a developer's
# scripts/cluster.sh keeps 5450–5453 and 8090–8093), three data nodes, two gridcase nodes, one
# failover; destroyed afterwards. Fails on a loss, a duplicate, a broken chain or no 2xx within
# 60 s of the kill (the figure is printed; 30 s is the target of the slow runs).
failover_ci() {
  export CLUSTER_STATE=${CLUSTER_STATE:-$PWD/build/cluster-ci} CLUSTER_APPS=2
  # FAILOVER_CI_PORT moves all of them (5470: 5470–5473, 8070–8072), for two runs on one machine.
  local base=${FAILOVER_CI_PORT:-5470}
  export CLUSTER_MONITOR_PORT=$base CLUSTER_PG_PORT=$((base + 1)) CLUSTER_HTTP_PORT=$((base + 2601))
  export CLUSTER_LB_PORT=$((base + 2600))
  scripts/cluster.sh destroy >/dev/null 2>&1 || true
  ha_destroy=1 ha_failed=1
  failover 1 || return 1
  awk '$2 == "none" || $2 >= 60 { exit 1 }' "$tmp/runs" || { echo "no 2xx within 60 s of the kill"; return 1; }
  ha_failed=
}


# A network partition of the primary (issue 18): its own cluster with a proxy on every link
# (CLUSTER_LINKS=proxied, scripts/cluster.sh), on ports of its own (5460–5463, 8060–8063;
# PARTITION_PORT moves them), destroyed afterwards. Under the same load and live-feed watchers,
# the primary's links are cut: "all" (gridcase, the standbys, the monitor: the primary is alone)
# and "keep-clients" (the gridcase nodes still reach it: their commits must wait for a standby
# that cannot answer). Measured directly on 127.0.0.1, outside the cut: when the old primary
# stopped taking writes (its keeper demotes it), when the monitor promoted another node, the
# first 2xx after the cut. No split brain: no request sent after the cut was acknowledged before
# the new primary was promoted, the old primary was fenced first, and after healing it rejoins
# as a standby with acknowledged lost 0, duplicates 0, the event chain intact, every watcher
# complete.
elapsed() {  # FROM TO: "N.N s", or "never" when TO is none
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == "none") print "never"; else printf "%.1f s", b - a }'
}
partition_run() {  # MODE: appends "MODE FIRST_2XX DEMOTED PROMOTED EARLY OK" to $tmp/runs
  local mode=$1 run out old old_port t_cut t_demoted=none t_promoted=none i answer early ok=1 new
  run=pt$(date +%s)-$mode
  out=$tmp/load-$mode.txt
  ha_run_start "$run" "$out" "$tmp/feed-$mode.txt"
  old=$(scripts/cluster.sh primary)
  old_port=$((${CLUSTER_PG_PORT} + old - 1))
  local t_all
  read -r _ t_cut t_all < <(scripts/cluster.sh partition "$old" "$mode")
  for ((i = 0; i < 600; i++)); do
    if [[ "$t_demoted" == none ]]; then
      answer=$(/usr/lib/postgresql/15/bin/psql -X -At -h 127.0.0.1 -p "$old_port" -U gridcase -d gridcase \
        -c "SELECT pg_is_in_recovery()" 2>/dev/null || true)
      [[ "$answer" == f ]] || t_demoted=$(now)
    fi
    if [[ "$t_promoted" == none ]]; then
      new=$(scripts/cluster.sh primary)
      [[ -z "$new" || "$new" == "$old" ]] || t_promoted=$(now)
    fi
    [[ "$t_demoted" != none && "$t_promoted" != none && "$(first_2xx_after "$out" "$t_cut")" != none ]] && break
    sleep 0.2
  done
  sleep 3
  load_stop || ok=0
  new=$(scripts/cluster.sh primary)
  # Sent once the primary was alone and acknowledged before any other node was primary: only the
  # isolated primary could have committed it.
  early=$(awk -v c="$t_all" -v p="${t_promoted/none/9999999999}" '$3 == 201 && $1 > c && $2 < p' "$out" | wc -l)
  echo "$mode: cut node$old's links ($([[ "$mode" == all ]] && echo "monitor, then gridcase and standbys" || echo "monitor, then standbys; gridcase still reaches it") $(elapsed "$t_cut" "$t_all") later);" \
    "it stopped taking writes after $(elapsed "$t_cut" "$t_demoted"), node${new:-?} promoted after $(elapsed "$t_cut" "$t_promoted")," \
    "first 2xx on the new primary $(first_2xx_after "$out" "$t_promoted") s after its promotion;" \
    "requests sent once it was alone and acknowledged before the promotion (by the isolated primary): $early"
  scripts/cluster.sh heal "$old"
  ha_wait_rejoined "$old" "$mode: " || ok=0
  ha_run_verify "$run" "$out" "$tmp/feed-$mode.txt" "$mode: " || ok=0
  [[ "$early" == 0 && "$t_demoted" != none && "$t_promoted" != none ]] || ok=0
  # Fenced first: the old primary stopped taking writes before another was promoted.
  [[ "$t_demoted" != none && "$t_promoted" != none ]] &&
    awk -v d="$t_demoted" -v p="$t_promoted" 'BEGIN { exit !(d < p) }' || ok=0
  echo "$mode $(first_2xx_after "$out" "$t_promoted") $t_demoted $t_promoted $early $ok" >>"$tmp/runs"
}

partition_test() {  # RUNS (each runs both modes)
  local runs=${1:-1} n mode
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
  export CLUSTER_STATE=${CLUSTER_STATE:-$PWD/build/cluster-partition} CLUSTER_LINKS=proxied
  local base=${PARTITION_PORT:-5460}
  export CLUSTER_MONITOR_PORT=$base CLUSTER_PG_PORT=$((base + 1)) CLUSTER_HTTP_PORT=$((base + 2601))
  export CLUSTER_LB_PORT=$((base + 2600))
  scripts/cluster.sh destroy >/dev/null 2>&1 || true
  ha_destroy=1 ha_failed=1
  ha_setup partition
  : >"$tmp/runs"
  echo
  echo "load: 8 clients of keyed intakes through HAProxy $ha_base; live-feed watchers through HAProxy and on each node"
  for n in $(seq "$runs"); do
    for mode in all keep-clients; do partition_run "$mode"; done
  done
  echo
  echo "summary (partition, $runs run(s) of each mode): first 2xx after the promotion: $(awk '{ printf "%s %s s, ", $1, $2 }' "$tmp/runs")"
  if awk '$6 != 1 { bad = 1 } END { exit !bad }' "$tmp/runs"; then
    echo "  verdict: FAILED"
    return 1
  fi
  ha_failed=
  echo "  verdict: passed — no split brain: nothing acknowledged by the isolated primary, fenced before the promotion, acknowledged lost 0, duplicates 0, chain intact, live feeds complete"
}

node_metric() {  # N NAME: a gauge of gridcase node N (empty when it does not answer)
  curl -s --max-time 2 "http://127.0.0.1:$((${CLUSTER_HTTP_PORT:-8091} + $1 - 1))/metrics" 2>/dev/null |
    awk -v m="$2" '$1 == m { print $2 }'
}
last_scheduler_run() {  # the newest scheduler run across the gridcase nodes but N
  local n newest=0 value
  for n in $(seq "${CLUSTER_APPS:-3}"); do
    [[ "$n" == "$1" ]] && continue
    value=$(node_metric "$n" gridcase_scheduler_last_run_timestamp_seconds)
    [[ -n "$value" ]] && ((value > newest)) && newest=$value
  done
  echo "$newest"
}

# kill -9 one gridcase node (the one that ran the scheduler last) under the failover load:
# HAProxy must stop sending to it within 2 s, no acknowledged intake may be lost, and another
# node must run the scheduler (a transaction-scoped lock each tick: the next tick of any node).
# node-stop: SIGTERM instead; the node drains, and then not one request may fail. Live-feed
# watchers (through HAProxy and on each node) must end with every event of the run.
node_kill() {  # kill | term
  local mode=${1:-kill}
  ha_setup "node-$mode"
  local run=nk$(date +%s) out=$tmp/load-node-kill.txt victim n newest=0 value t_kill t_down i down stopper=
  local failed=0 scheduler_after answered
  scripts/cluster.sh wait-healthy 60 || die "the cluster is not healthy"
  for n in $(seq "${CLUSTER_APPS:-3}"); do
    value=$(node_metric "$n" gridcase_scheduler_last_run_timestamp_seconds)
    if [[ -n "$value" ]] && ((value >= newest)); then newest=$value victim=$n; fi
  done
  [[ -n "${victim:-}" ]] || die "no gridcase node answers /metrics"
  echo
  echo "load: 8 clients of keyed intakes through HAProxy $ha_base; HAProxy: $(scripts/cluster.sh lb-servers | tr '\n' ' ')"
  ha_run_start "$run" "$out" "$tmp/feed-node-kill.txt"
  t_kill=$(date +%s.%N)
  if [[ "$mode" == kill ]]; then
    scripts/cluster.sh kill-app "$victim"
  else
    scripts/cluster.sh stop-app "$victim" &
    stopper=$!
  fi
  for ((i = 0; i < 100; i++)); do
    down=$(scripts/cluster.sh lb-servers | awk -v n="node$victim" '$1 == n { print $2 }')
    [[ "$down" != UP ]] && break
    sleep 0.05
  done
  t_down=$(date +%s.%N)
  # The scheduler's marks have a resolution of a second: the first run stamped after the
  # kill's second is the first run on another node.
  local t_scheduler=none
  for ((i = 0; i < 100; i++)); do
    scheduler_after=$(last_scheduler_run "$victim")
    if ((scheduler_after > ${t_kill%.*})); then t_scheduler=$(date +%s.%N); break; fi
    sleep 0.1
  done
  sleep 3
  [[ -z "$stopper" ]] || wait "$stopper"
  load_stop || failed=1
  answered=$(awk -v t="$t_kill" '$1 >= t - 1 && $3 != 201 { r[$3]++ } END { for (s in r) printf "%s×%d ", (s == 0 ? "no answer" : s), r[s] }' "$out")
  echo "$([[ "$mode" == kill ]] && echo "killed gridcase node$victim (kill -9)" || echo "stopped gridcase node$victim (SIGTERM)"); HAProxy marked it $down after $(awk -v a="$t_kill" -v b="$t_down" 'BEGIN { printf "%.2f", b - a }') s"
  echo "requests not acknowledged at once after the kill (retried with their key): ${answered:-none}"
  echo "the scheduler ran on another node $(awk -v t="$t_kill" -v s="$t_scheduler" 'BEGIN { if (s == "none") print "— never"; else printf "%.1f s after the kill", s - t }')" \
    "(node$victim had run it last, at $newest)"
  awk -v a="$t_kill" -v b="$t_down" 'BEGIN { exit !(b - a < 2) }' || { echo "HAProxy took 2 s or more"; failed=1; }
  [[ "$down" != UP ]] || failed=1
  if [[ "$mode" == term && -n "$answered" ]]; then echo "a drained node failed requests"; failed=1; fi
  [[ "$t_scheduler" != none ]] || { echo "no other node ran the scheduler within 10 s"; failed=1; }
  scripts/cluster.sh start-app "$victim"
  for ((i = 0; i < 100; i++)); do
    [[ "$(scripts/cluster.sh lb-servers | awk -v n="node$victim" '$1 == n { print $2 }')" == UP ]] && break
    sleep 0.1
  done
  echo "node$victim started again: HAProxy $(scripts/cluster.sh lb-servers | tr '\n' ' ')"
  # Every acknowledged intake stored once; every watcher, the killed node's own included once it
  # is back, has every event of the run.
  ha_run_verify "$run" "$out" "$tmp/feed-node-kill.txt" || failed=1
  if ((failed)); then echo "verdict: FAILED"; return 1; fi
  echo "verdict: passed"
}

case "${1:-}" in
  failover) failover "${2:-5}" ;;
  failover-ci) failover_ci ;;
  partition) partition_test "${2:-1}" ;;
  node-kill) node_kill kill ;;
  node-stop) node_kill term ;;
  slow-clients) slow_clients ;;
  idle) idle ;;
  soak) soak "${2:-30}" ;;
  all)
    status=0
    "$0" slow-clients || status=1
    BENCH_NO_BUILD=1 "$0" idle || status=1
    BENCH_NO_BUILD=1 "$0" soak "${2:-30}" || status=1
    exit "$status"
    ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# The high-availability topology of docs/operations.md on one machine, all on 127.0.0.1:
#
#   PostgreSQL 15 under pg_auto_failover (Debian's postgresql-15-auto-failover): a monitor on
#   5450 and CLUSTER_NODES (3) data nodes on 5451.. — one primary, the others synchronous standbys
#   (number_sync_standbys 1 with three nodes) — each run by its keeper (`pg_autoctl run`);
#   CLUSTER_APPS (3) `gridcase serve` on 8091.., connected with a multi-host URL
#   (target_session_attrs=read-write); HAProxy on 8090 in front of them, checking /readyz.
#
#   scripts/cluster.sh up            create (first time) or start everything; load the demo district
#   scripts/cluster.sh down          stop everything (the state stays; `up` starts it again)
#   scripts/cluster.sh status        the monitor's view, each gridcase node's /readyz, HAProxy's view
#   scripts/cluster.sh failover [kill|switchover]
#                                    kill: kill -9 the primary's keeper and postmaster together, time
#                                    the new primary and the first 2xx through HAProxy, then let the
#                                    old primary rejoin as a standby; switchover: pg_autoctl perform
#                                    switchover (planned, nothing killed)
#   scripts/cluster.sh destroy       down, then delete the state
#
# Used by scripts/reliability.sh failover/node-kill and tests/cluster/failover_test.sh:
#   url                              the gridcase nodes' multi-host database URL
#   primary                          the primary's node number (1..CLUSTER_NODES)
#   kill-primary | kill-db N         kill -9 node N's keeper, postmaster and backends; prints N
#                                    and the time of the kill (seconds since the epoch)
#   rejoin N                         start node N's keeper again (it rejoins as a standby)
#   log NAME [LINES]                 the end of a log: monitor, nodeN, appN, haproxy
#   kill-app N | stop-app N | start-app N   kill -9 / SIGTERM / start gridcase node N
#   wait-healthy SECONDS             until one primary, every other data node secondary
#   lb-servers | lb-port | binary    HAProxy's view of the nodes, its port, the gridcase binary
#   partition N [all|keep-clients]   cut every link of data node N (CLUSTER_LINKS=proxied only):
#                                    its clients, its replication and the monitor's health checks
#                                    (all inbound), and its keeper's link to the monitor;
#                                    keep-clients leaves the gridcase nodes' link up
#   heal N                           restore data node N's links
#
# CLUSTER_LINKS=proxied (set when the cluster is created; kept in the state) puts a TCP proxy on
# every link of every data node, so that scripts/reliability.sh partition can cut them: a second
# HAProxy (tcp mode) on loopback addresses of their own — 127.0.1.N:PORT is node N as the monitor
# and the other nodes know it (pg_autoctl --hostname: health checks, replication), 127.0.3.N:PORT
# is node N for the gridcase nodes, 127.0.2.N:MONITOR_PORT is the monitor for node N's keeper —
# each relaying to 127.0.0.1, where every PostgreSQL listens.
#
# As root, every process runs as the unprivileged user "gridcase" (as scripts/pg.sh). The state
# lives in var/cluster, or in /var/lib/gridcase-cluster/<hash of this path> (var/cluster links to
# it) when that user cannot reach this checkout. The gridcase binary: GRIDCASE_BIN, else
# build/release/src/gridcase, else build/dev/src/gridcase; copied into the state when the user
# cannot run it where it is.
#
# Ports: CLUSTER_MONITOR_PORT (5450), CLUSTER_PG_PORT (5451, the first data node),
# CLUSTER_HTTP_PORT (8091, the first gridcase node), CLUSTER_LB_PORT (8090); CLUSTER_STATE
# overrides the state folder (the CI test uses its own).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=/usr/lib/postgresql/15/bin
pg_autoctl=/usr/bin/pg_autoctl
user=gridcase
nodes=${CLUSTER_NODES:-3}
apps=${CLUSTER_APPS:-3}
monitor_port=${CLUSTER_MONITOR_PORT:-5450}
pg_port=${CLUSTER_PG_PORT:-5451}
http_port=${CLUSTER_HTTP_PORT:-8091}
lb_port=${CLUSTER_LB_PORT:-8090}
link=${CLUSTER_STATE:-$root/var/cluster}

# pg_auto_failover's timeouts, shortened within its safe bounds (docs/operations.md): the
# monitor calls a primary unhealthy after `unhealthy_ms` without a report and failed health
# checks; a keeper that cannot reach the monitor nor any standby demotes its own primary after
# `partition_s`; the monitor promotes a standby only `demote_ms` after it gave up on the primary,
# which must exceed the partition timeout, so a cut-off primary has stopped taking writes first.
health_period_ms=${CLUSTER_HEALTH_PERIOD_MS:-1000}
unhealthy_ms=${CLUSTER_UNHEALTHY_MS:-6000}
partition_s=${CLUSTER_PARTITION_S:-5}
demote_ms=${CLUSTER_DEMOTE_MS:-8000}

die() { echo "cluster: $*" >&2; exit 1; }
[[ "$nodes" =~ ^[2-3]$ ]] || die "CLUSTER_NODES must be 2 or 3"
[[ "$apps" =~ ^[1-3]$ ]] || die "CLUSTER_APPS must be 1, 2 or 3"
[[ -x "$pg_autoctl" ]] || die "pg_autoctl is missing: scripts/install-deps.sh (postgresql-15-auto-failover)"
command -v haproxy >/dev/null || die "haproxy is missing: scripts/install-deps.sh"

as_owner() {  # from /, which the owner can always enter (this checkout may be closed to them)
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi
}

state_dir() {
  if [[ -L "$link" || -d "$link" ]]; then readlink -f "$link"; return; fi
  mkdir -p "$(dirname "$link")"
  if [[ $EUID -eq 0 ]]; then
    id -u "$user" >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
    mkdir -p "$link"
    chown "$user" "$link"
    if ! (cd / && runuser -u "$user" -- test -w "$link"); then
      rmdir "$link"
      local outside
      outside="/var/lib/gridcase-cluster/$(printf '%s' "$link" | sha256sum | cut -c1-16)"
      mkdir -p "$outside"
      chown "$user" "$outside"
      chmod 700 "$outside"
      ln -s "$outside" "$link"
    fi
  else
    mkdir -p "$link"
  fi
  readlink -f "$link"
}
state=$(state_dir)
if [[ -f "$state/links-proxied" ]]; then
  links=proxied
else
  links=${CLUSTER_LINKS:-direct}
  [[ "$links" == direct || "$links" == proxied ]] || die "CLUSTER_LINKS must be direct or proxied"
  # Fixed when the nodes are created: they register with the monitor under these addresses.
  [[ "$links" == direct || -f "$state/monitor/PG_VERSION" ]] || touch "$state/links-proxied"
  [[ "$links" == proxied && ! -f "$state/links-proxied" ]] && die "CLUSTER_LINKS=proxied: this cluster was created with direct links (destroy it first)"
fi

# pg_autoctl keeps its configuration and pid files under the XDG folders: the state's own. Its
# Postgres instances put their sockets in PGHOST (not Debian's /var/run/postgresql, root's).
autoctl_env=(XDG_CONFIG_HOME="$state/xdg/config" XDG_DATA_HOME="$state/xdg/data"
             XDG_RUNTIME_DIR="$state/xdg/run" PGHOST="$state/sockets" PATH="$bin:$PATH")
autoctl() {
  as_owner env "${autoctl_env[@]}" "$pg_autoctl" "$@"
}
monitor_url="postgres://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable"
monitor_sql() {
  "$bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$monitor_port" -U "$user" -d pg_auto_failover -c "$1"
}
node_port() { echo $((pg_port + $1 - 1)); }
app_port() { echo $((http_port + $1 - 1)); }
# Where the others reach node N (its pg_autoctl hostname), where the gridcase nodes reach it, and
# where node N's keeper reaches the monitor: 127.0.0.1 unless the links are proxied.
node_host() { if [[ "$links" == proxied ]]; then echo "127.0.1.$1"; else echo 127.0.0.1; fi; }
client_host() { if [[ "$links" == proxied ]]; then echo "127.0.3.$1"; else echo 127.0.0.1; fi; }
node_monitor_url() {
  local host=127.0.0.1
  [[ "$links" == direct ]] || host=127.0.2.$1
  echo "postgres://autoctl_node@$host:$monitor_port/pg_auto_failover?sslmode=disable"
}
database_url() {
  local hosts=() n
  for n in $(seq "$nodes"); do hosts+=("$(client_host "$n"):$(node_port "$n")"); done
  local IFS=,
  echo "postgresql://$user@${hosts[*]}/gridcase?target_session_attrs=read-write"
}

gridcase_binary() {  # the binary the gridcase user runs
  local source=${GRIDCASE_BIN:-}
  if [[ -z "$source" ]]; then
    for source in "$root/build/release/src/gridcase" "$root/build/dev/src/gridcase" ""; do
      [[ -z "$source" || -x "$source" ]] && break
    done
  fi
  [[ -n "$source" && -x "$source" ]] || die "no gridcase binary: build one (cmake --preset release) or set GRIDCASE_BIN"
  source=$(readlink -f "$source")
  if as_owner test -x "$source"; then echo "$source"; return; fi
  if [[ ! -x "$state/gridcase" || "$source" -nt "$state/gridcase" ]]; then
    install -m 755 "$source" "$state/gridcase"
  fi
  echo "$state/gridcase"
}

# --- PostgreSQL: the monitor and the data nodes ------------------------------------------------
detached() {  # LOG PIDFILE COMMAND...: in a session of its own (runuser ends its session's
  # processes when it returns), as the owner, appending to LOG; its pid in PIDFILE unless "".
  local log=$1 pidfile=$2
  shift 2
  as_owner setsid -f bash -c '[[ -z "$1" ]] || echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" \
    >>"$log" 2>&1 </dev/null
  if [[ -n "$pidfile" ]]; then
    for _ in $(seq 50); do [[ -s "$pidfile" ]] && return 0; sleep 0.1; done
  fi
}

# A pid file left by a kill -9 may name a pid the kernel has given to another process since
# (pid_max is 32768 here, and a test spawns thousands of processes a minute): a pid counts only
# while it is the program the file belongs to.
pid_of() {  # PIDFILE PROGRAM
  local pid
  pid=$(head -n 1 "$1" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$2" && echo "$pid"
  return 0
}
keeper_pidfile() { echo "$state/xdg/run/pg_autoctl$1/pg_autoctl.pid"; }
keeper_running() {  # PGDATA: pg_autoctl's supervisor for it is alive
  [[ -n "$(pid_of "$(keeper_pidfile "$1")" pg_autoctl)" ]]
}
start_keeper() {  # NAME PGDATA
  keeper_running "$2" && return 0
  # Stale pid files of a killed node, whose pids may be alive as other programs: pg_autoctl and
  # PostgreSQL would take them for a running instance and refuse to start.
  rm -f "$(dirname "$(keeper_pidfile "$2")")"/*.pid
  [[ -z "$(pid_of "$2/postmaster.pid" postgres)" ]] && rm -f "$2/postmaster.pid"
  detached "$state/log/$1.log" "" env "${autoctl_env[@]}" "$pg_autoctl" run --pgdata "$2"
  local i
  for ((i = 0; i < 100; i++)); do keeper_running "$2" && return 0; sleep 0.2; done
  tail -n 20 "$state/log/$1.log" >&2
  die "$1: pg_autoctl run did not start"
}

initdb_for() {  # PGDATA: pg_autoctl takes an existing data directory; this one listens on
  # loopback only and keeps its sockets in the state (Debian's /var/run/postgresql is not ours).
  as_owner "$bin/initdb" -D "$1" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --data-checksums >/dev/null
  cat >>"$1/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$state/sockets'
max_connections = 200
logging_collector = off
CONF
}

monitor_up() {
  local data=$state/monitor
  if [[ ! -f "$data/PG_VERSION" ]]; then
    echo "cluster: creating the monitor on 127.0.0.1:$monitor_port"
    initdb_for "$data"
    autoctl create monitor --pgdata "$data" --pgport "$monitor_port" --hostname 127.0.0.1 \
      --pgctl "$bin/pg_ctl" --auth trust --no-ssl >>"$state/log/monitor.log" 2>&1 ||
      { tail -n 20 "$state/log/monitor.log" >&2; die "pg_autoctl create monitor failed"; }
    autoctl config set --pgdata "$data" postgresql.listen_addresses 127.0.0.1 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
pgautofailover.health_check_period = $health_period_ms
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = $unhealthy_ms
pgautofailover.primary_demote_timeout = $demote_ms
CONF
  fi
  start_keeper monitor "$data"
  local i
  for ((i = 0; i < 150; i++)); do monitor_sql "SELECT 1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "the monitor does not answer on 127.0.0.1:$monitor_port"
}

node_up() {  # N
  local n=$1 data=$state/node$1
  if [[ ! -f "$data/PG_VERSION" ]]; then
    echo "cluster: creating data node $n on 127.0.0.1:$(node_port "$n")"
    # The first node's data directory becomes everyone's (pg_basebackup): its settings too.
    [[ -n "$(primary)" ]] || initdb_for "$data"
    autoctl create postgres --pgdata "$data" --pgport "$(node_port "$n")" --pgctl "$bin/pg_ctl" \
      --hostname "$(node_host "$n")" --name "node$n" --username "$user" --dbname gridcase \
      --monitor "$(node_monitor_url "$n")" --auth trust --no-ssl --listen 127.0.0.1 \
      >>"$state/log/node$n.log" 2>&1 ||
      { tail -n 20 "$state/log/node$n.log" >&2; die "pg_autoctl create postgres (node $n) failed"; }
    autoctl config set --pgdata "$data" timeout.network_partition_timeout "$partition_s" >/dev/null
  fi
  start_keeper "node$n" "$data"
}

states() {  # "N reported goal" per data node
  monitor_sql "SELECT substr(nodename, 5), reportedstate, goalstate FROM pgautofailover.node
               WHERE formationid = 'default' ORDER BY nodeid" 2>/dev/null | tr '|' ' '
}
primary() {  # the node the monitor assigned primary and that reports it
  monitor_sql "SELECT substr(nodename, 5) FROM pgautofailover.node WHERE formationid = 'default'
               AND goalstate IN ('primary', 'wait_primary', 'single')
               AND reportedstate = goalstate LIMIT 1" 2>/dev/null
}
wait_healthy() {  # SECONDS [NODES]: NODES (all) registered, goals reached, one primary, the
  # others secondaries
  local i want=${2:-$nodes} settled
  for ((i = 0; i < $1 * 5; i++)); do
    settled=$(states | awk '$2 != $3 { bad++ } $2 == "primary" || $2 == "single" { p++ }
                            $2 == "secondary" { s++ } END { print bad + 0, p + 0, s + 0 }')
    [[ "$settled" == "0 1 $((want - 1))" ]] && return 0
    sleep 0.2
  done
  states >&2
  return 1
}

# --- gridcase nodes and HAProxy -------------------------------------------------------------------
app_pid() { pid_of "$state/app$1.pid" "serve --config $state/app$1.json"; }
app_running() { local pid; pid=$(app_pid "$1"); [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }
start_app() {  # N
  local n=$1 config=$state/app$1.json binary
  app_running "$n" && return 0
  binary=$(gridcase_binary)
  # The scheduler and the nightly job run on every node: their advisory locks let one act.
  sed -e "s|^\( *\"address\": *\)\"[^\"]*\"|\1\"127.0.0.1\"|" \
    -e "s|^\( *\"port\": *\)[0-9]*|\1$(app_port "$n")|" \
    -e "s|^\( *\"url\": *\)\"[^\"]*\"|\1\"$(database_url)\"|" \
    -e "s|^\( *\"access_log\": *\)true|\1false|" \
    -e "s|^\( *\"connect_timeout_seconds\": *\)[0-9]*|\11|" \
    "$root/config/gridcase.json" >"$config"
  grep -qF "\"port\": $(app_port "$n")," "$config" || die "could not set the port in $config"
  chmod 644 "$config"
  detached "$state/log/app$n.log" "$state/app$n.pid" \
    env -u GRIDCASE_DATABASE_URL -u GRIDCASE_HTTP_PORT "$binary" serve --config "$config"
  local i
  for ((i = 0; i < 150; i++)); do
    curl -fsS -o /dev/null "http://127.0.0.1:$(app_port "$n")/readyz" 2>/dev/null && return 0
    app_running "$n" || { tail -n 20 "$state/log/app$n.log" >&2; die "gridcase node $n exited"; }
    sleep 0.2
  done
  die "gridcase node $n is not ready on 127.0.0.1:$(app_port "$n")"
}
stop_app() {  # N: SIGTERM (drains), then SIGKILL after 15 s
  local pid i
  pid=$(app_pid "$1")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/app$1.pid"
}

haproxy_up() {
  local config=$state/haproxy.cfg n
  # inter 500 ms, fall 2: a node whose /readyz fails is out within about 1 s; a refused
  # connection marks it down at once (observe layer4) and the request goes to another node
  # (redispatch). A request that reached a node is never sent again: only the client knows
  # whether it may repeat it (its Idempotency-Key).
  cat >"$config" <<CFG
global
  pidfile $state/haproxy.pid
  stats socket $state/haproxy.sock mode 600 level admin
  log stderr format short local0 notice

defaults
  mode http
  log global
  option httplog
  option dontlognull
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  retries 2
  option redispatch 1

frontend gridcase
  bind 127.0.0.1:$lb_port
  default_backend gridcase_nodes

backend gridcase_nodes
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
CFG
  for n in $(seq "$apps"); do
    echo "  server node$n 127.0.0.1:$(app_port "$n") check" >>"$config"
  done
  chmod 644 "$config"
  haproxy -c -q -f "$config" || die "haproxy rejects $config"
  local pid
  pid=$(pid_of "$state/haproxy.pid" haproxy)
  if [[ -n "$pid" ]]; then
    kill -USR2 "$pid"  # reload the configuration (master-worker)
    return 0
  fi
  as_owner haproxy -W -D -f "$config" >>"$state/log/haproxy.log" 2>&1 || die "haproxy did not start"
}
# The links' proxy (CLUSTER_LINKS=proxied): tcp mode, one frontend per link, each with one server
# that `partition` disables and whose sessions it shuts. A connection to a disabled link is
# accepted and closed, as by a dead network path that answers with a reset.
links_up() {
  [[ "$links" == proxied ]] || return 0
  local config=$state/links.cfg n port
  cat >"$config" <<CFG
global
  pidfile $state/links.pid
  stats socket $state/links.sock mode 600 level admin
  log stderr format short local0 warning

defaults
  mode tcp
  log global
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  timeout queue 1s
CFG
  for n in $(seq "$nodes"); do
    port=$(node_port "$n")
    cat >>"$config" <<CFG

listen node${n}_peers
  bind 127.0.1.$n:$port
  server pg 127.0.0.1:$port
listen node${n}_clients
  bind 127.0.3.$n:$port
  server pg 127.0.0.1:$port
listen node${n}_monitor
  bind 127.0.2.$n:$monitor_port
  server pg 127.0.0.1:$monitor_port
CFG
  done
  chmod 644 "$config"
  haproxy -c -q -f "$config" || die "haproxy rejects $config"
  [[ -n "$(pid_of "$state/links.pid" haproxy)" ]] && return 0
  as_owner haproxy -W -D -f "$config" >>"$state/log/links.log" 2>&1 || die "the links' haproxy did not start"
}
links_down() {
  local pid
  pid=$(pid_of "$state/links.pid" haproxy)
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  rm -f "$state/links.pid"
}
links_command() {  # COMMAND...: to the links' proxy's stats socket
  python3 - "$state/links.sock" "$@" <<'PY'
import socket, sys
for command in sys.argv[2:]:
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(command.encode() + b"\n")
    answer = b""
    while chunk := s.recv(65536):
        answer += chunk
    text = answer.decode().strip()
    if text and "already" not in text:
        print(f"{command}: {text}", file=sys.stderr)
PY
}
# A partition in the order a real one shows itself: the keeper's link to the monitor first, then,
# once the keeper has been told by PostgreSQL that its standbys are still connected (it only
# counts them as lost after that: pg_auto_failover's is_network_healthy()), the others. A cut link
# refuses new connections (its frontend lets go of the port, as a firewall's REJECT) and its open
# sessions are shut.
partition() {  # N all|keep-clients: prints "N START END" (seconds since the epoch)
  [[ "$links" == proxied ]] || die "partition needs CLUSTER_LINKS=proxied (when the cluster is created)"
  local n=$1 cut=(peers) link commands=() start
  [[ "${2:-all}" == keep-clients ]] || cut+=(clients)
  start=$(date +%s.%N)
  links_command "disable frontend node${n}_monitor" "shutdown sessions server node${n}_monitor/pg"
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q "We lost the monitor, but still have a standby" <(tail -n 50 "$state/log/node$n.log") && break
    sleep 0.1
  done
  for link in "${cut[@]}"; do
    commands+=("disable frontend node${n}_$link" "shutdown sessions server node${n}_$link/pg")
  done
  links_command "${commands[@]}"
  echo "$n $start $(date +%s.%N)"
}
heal() {  # N
  [[ "$links" == proxied ]] || die "heal needs CLUSTER_LINKS=proxied"
  local link commands=()
  for link in peers monitor clients; do commands+=("enable frontend node${1}_$link"); done
  links_command "${commands[@]}"
}

haproxy_down() {
  local pid
  pid=$(pid_of "$state/haproxy.pid" haproxy)
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  rm -f "$state/haproxy.pid"
}
haproxy_servers() {  # "nodeN UP|DOWN|..." per gridcase node, from the stats socket
  python3 - "$state/haproxy.sock" <<'PY' 2>/dev/null || true
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
for line in data.decode().splitlines():
    f = line.split(",")
    if len(f) > 17 and f[0] == "gridcase_nodes" and f[1].startswith("node"):
        print(f[1], f[17])
PY
}

# --- the whole topology -------------------------------------------------------------------------
up() {
  mkdir -p "$state/log" "$state/xdg/config" "$state/xdg/data" "$state/xdg/run" "$state/sockets"
  [[ $EUID -ne 0 ]] || chown -R "$user" "$state/log" "$state/xdg" "$state/sockets"
  links_up
  monitor_up
  local n
  for n in $(seq "$nodes"); do
    if [[ -f "$state/node$n/PG_VERSION" ]]; then node_up "$n"; continue; fi
    node_up "$n"
    # Each new standby clones the primary (pg_basebackup): one at a time.
    wait_healthy 180 "$n" || die "the data nodes did not settle (log: $state/log/node$n.log)"
  done
  wait_healthy 180 || die "the data nodes did not settle (logs: $state/log/node*.log)"
  if ((nodes == 3)); then
    # With two standbys a commit waits for one of them: one standby lost leaves writes going.
    autoctl set formation number-sync-standbys 1 --monitor "$monitor_url" >/dev/null 2>&1 ||
      die "could not set number-sync-standbys"
    wait_healthy 60 || die "the data nodes did not settle after number-sync-standbys 1"
  fi
  local binary url
  binary=$(gridcase_binary)
  url=$(database_url)
  if [[ ! -f "$state/demo-loaded" ]]; then
    echo "cluster: migrating and loading the demo district ($url)"
    as_owner env GRIDCASE_DATABASE_URL="$url" GRIDCASE_LOG_LEVEL=warn "$binary" migrate
    as_owner env GRIDCASE_DATABASE_URL="$url" GRIDCASE_LOG_LEVEL=warn "$binary" seed-demo \
      >"$state/demo-accounts.txt"
    touch "$state/demo-loaded"
  fi
  for n in $(seq "$apps"); do start_app "$n"; done
  haproxy_up
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$lb_port/readyz" 2>/dev/null && break
    sleep 0.2
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$lb_port/readyz" || die "HAProxy does not answer /readyz on $lb_port"
  echo "cluster: up — http://127.0.0.1:$lb_port (HAProxy) → gridcase on $(app_port 1)..$(app_port "$apps")," \
    "PostgreSQL primary node$(primary) ($url); state $state"
  echo "cluster: demo accounts and passwords: $state/demo-accounts.txt"
}

down() {
  local n
  haproxy_down
  for n in $(seq "$apps"); do stop_app "$n"; done
  for n in $(seq "$nodes") monitor; do
    local data=$state/node$n
    [[ "$n" == monitor ]] && data=$state/monitor
    [[ -f "$data/PG_VERSION" ]] || continue
    autoctl stop --pgdata "$data" >/dev/null 2>&1 || true
    for _ in $(seq 100); do keeper_running "$data" || break; sleep 0.2; done
  done
  links_down
  echo "cluster: down (state kept in $state)"
}

status() {
  echo "== PostgreSQL (pg_autoctl show state)"
  autoctl show state --monitor "$monitor_url" 2>/dev/null || echo "the monitor does not answer"
  echo
  echo "== gridcase nodes"
  local n code
  for n in $(seq "$apps"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(app_port "$n")/readyz" || true)
    echo "node$n 127.0.0.1:$(app_port "$n") pid $(app_pid "$n") /readyz $code"
  done
  echo
  echo "== HAProxy 127.0.0.1:$lb_port"
  haproxy_servers
}

# The keeper, its postgres service and the postmaster with its backends: the whole node. The
# keeper was started in a session of its own (detached), which its services and the postmaster
# share; the backends make sessions of their own, so they are found as the postmaster's children.
node_pids() {  # N [SESSION]: SESSION, once known, still finds the node after its keeper died
  local top postmaster sid=${2:-}
  top=$(pid_of "$(keeper_pidfile "$state/node$1")" pg_autoctl)
  [[ -n "$top" ]] || top=$(pgrep -u "$user" -f "pg_autoctl run --pgdata $state/node$1\$" | head -n 1 || true)
  postmaster=$(pid_of "$state/node$1/postmaster.pid" postgres)
  [[ -n "$sid" || -z "$top" ]] || sid=$(ps -o sid= -p "$top" | tr -d ' ')
  { [[ -n "$top" ]] && echo "$top"
    [[ -n "$sid" && "$sid" != 0 ]] && pgrep -u "$user" -s "$sid"
    [[ -n "$postmaster" ]] && echo "$postmaster" && pgrep -P "$postmaster"; } | sort -u
}
node_session() {  # N: the keeper's session (it leads it: detached), or nothing
  local top
  top=$(pid_of "$(keeper_pidfile "$state/node$1")" pg_autoctl)
  [[ -n "$top" && "$(ps -o sid= -p "$top" | tr -d ' ')" == "$top" ]] && echo "$top"
  return 0
}
kill_db() {  # N
  local pids killed_at i sid
  sid=$(node_session "$1")
  mapfile -t pids < <(node_pids "$1" "$sid")
  ((${#pids[@]} > 0)) || die "node $1 has no processes"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  killed_at=$(date +%s.%N)
  # A supervisor killed while it was forking leaves a child that was not listed: a stray
  # "start/stop postgres" left running would fight the node's next keeper. Sweep again.
  for ((i = 0; i < 20; i++)); do
    mapfile -t pids < <(node_pids "$1" "$sid")
    ((${#pids[@]} == 0)) && break
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.05
  done
  echo "$1 $killed_at"  # the node, and when it was killed
}

first_2xx() {  # SECONDS: polls an authenticated-free write-path read through HAProxy
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$lb_port/readyz")" == 200 ]] && return 0
    sleep 0.1
  done
  return 1
}

failover() {  # kill | switchover
  local mode=${1:-kill} old new t0 t1 t2
  wait_healthy 5 || die "the cluster is not healthy: scripts/cluster.sh status"
  old=$(primary)
  case $mode in
    switchover)
      echo "cluster: pg_autoctl perform switchover (primary node$old)"
      t0=$(date +%s.%N)
      autoctl perform switchover --monitor "$monitor_url" 2>&1 | tail -n 5
      ;;
    kill)
      echo "cluster: kill -9 node$old (keeper, postmaster and backends: pids $(node_pids "$old" | tr '\n' ' '))"
      t0=$(date +%s.%N)
      kill_db "$old" >/dev/null
      ;;
    *) die "failover kill|switchover" ;;
  esac
  for ((;;)); do
    new=$(primary)
    [[ -n "$new" && "$new" != "$old" ]] && break
    awk -v t="$t0" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - t > 120) }' && die "no new primary after 120 s"
    sleep 0.2
  done
  t1=$(date +%s.%N)
  first_2xx 60 || die "HAProxy did not answer 200 within 60 s of the new primary"
  t2=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v o="$old" -v n="$new" \
    'BEGIN { printf "cluster: node%s is primary after %.1f s; /readyz 200 through HAProxy after %.1f s\n", n, b - a, c - a }'
  if [[ "$mode" == kill ]]; then
    echo "cluster: node$old's keeper starts again; it rejoins as a standby"
    start_keeper "node$old" "$state/node$old"
  fi
  wait_healthy 180 || die "node$old did not rejoin"
  states | awk '{ printf "  node%s %s\n", $1, $2 }'
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  failover) failover "${2:-kill}" ;;
  destroy) down; rm -rf "$(readlink -f "$link")"; rm -f "$link"; echo "cluster: state deleted" ;;
  url) database_url ;;
  primary) primary ;;
  kill-primary) n=$(primary); [[ -n "$n" ]] || die "no primary"; kill_db "$n" ;;
  kill-db) kill_db "${2:?node}" ;;
  rejoin) start_keeper "node${2:?node}" "$state/node$2" ;;
  log) tail -n "${3:-40}" "$state/log/${2:?name}.log" ;;
  kill-app) pid=$(app_pid "${2:?node}"); [[ -n "$pid" ]] && kill -KILL "$pid"; rm -f "$state/app$2.pid" ;;
  start-app) start_app "${2:?node}" ;;
  stop-app) stop_app "${2:?node}" ;;
  wait-healthy) wait_healthy "${2:-60}" ;;
  states) states ;;
  lb-servers) haproxy_servers ;;
  lb-port) echo "$lb_port" ;;
  binary) gridcase_binary ;;
  partition) partition "${2:?node}" "${3:-all}" ;;
  heal) heal "${2:?node}" ;;
  *) echo "usage: $0 up|down|status|failover [kill|switchover]|destroy" >&2; exit 64 ;;
esac

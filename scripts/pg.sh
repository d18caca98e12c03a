#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for gridcase under var/pg, on 127.0.0.1 and a Unix socket.
#   scripts/pg.sh start | stop | crash | status | url [DB] | fresh DB | ensure DB
# As root, the cluster runs as the unprivileged user "gridcase" (initdb refuses root). When that
# user cannot reach this checkout (say a clone inside a mode-700 mktemp folder), the data lives
# in /var/lib/gridcase-pg/<hash of this path> and var/pg links to it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=/usr/lib/postgresql/15/bin
user=gridcase
link="$root/var/pg"

# The port is chosen once, when the cluster is created (initdb writes it into postgresql.conf);
# after that the cluster's own setting is the port, and a GRIDCASE_PG_PORT that differs is an
# error rather than a URL to a port nothing (or another checkout's cluster) listens on.
port=${GRIDCASE_PG_PORT:-5433}
if [[ -r "$link/postgresql.conf" ]]; then
  configured=$(sed -n 's/^port = \([0-9][0-9]*\)$/\1/p' "$link/postgresql.conf" | tail -n 1)
  if [[ -n "$configured" ]]; then
    if [[ -n "${GRIDCASE_PG_PORT:-}" && "$GRIDCASE_PG_PORT" != "$configured" ]]; then
      echo "pg: this checkout's cluster ($link) listens on port $configured, set when it was" \
        "created; GRIDCASE_PG_PORT=$GRIDCASE_PG_PORT differs (unset it, or remove var/pg for a new cluster)" >&2
      exit 2
    fi
    port=$configured
  fi
fi

as_owner() {  # from /, which the owner can always enter (this checkout may be closed to them)
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi
}

data_dir() {
  if [[ -L "$link" || -d "$link" ]]; then readlink -f "$link"; return; fi
  mkdir -p "$root/var"
  if [[ $EUID -eq 0 ]]; then
    id -u "$user" >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
    mkdir -p "$link"
    chown "$user" "$link"
    if ! (cd / && runuser -u "$user" -- test -w "$link"); then
      rmdir "$link"
      local outside
      outside="/var/lib/gridcase-pg/$(printf '%s' "$root" | sha256sum | cut -c1-16)"
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

psql_admin() {
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U gridcase -d postgres "$@"
}

start() {
  local data
  data=$(data_dir)
  if [[ ! -f "$data/PG_VERSION" ]]; then
    # Trust on loopback only: a private development cluster, never exposed.
    as_owner "$bin/initdb" -D "$data" -U gridcase --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
shared_buffers = 256MB
work_mem = 16MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
logging_collector = off
CONF
  fi
  if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "pg: running on 127.0.0.1:$port ($data)"
    return
  fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
  echo "pg: started on 127.0.0.1:$port ($data)"
}

stop() {
  local data
  data=$(data_dir)
  [[ -f "$data/PG_VERSION" ]] || { echo "pg: no cluster"; return; }
  as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  echo "pg: stopped"
}

crash() {  # pg_ctl stop -m immediate: what a power cut leaves (crash recovery at the next start)
  local data
  data=$(data_dir)
  as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
  echo "pg: stopped immediately (crash)"
}

url() { echo "postgresql://gridcase@127.0.0.1:$port/${1:-gridcase}"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  crash) crash ;;
  status) as_owner "$bin/pg_ctl" -D "$(data_dir)" status ;;
  url) url "${2:-gridcase}" ;;
  ensure)  # create the database when it does not exist
    db=${2:?database name}
    [[ -n $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") ]] ||
      psql_admin -c "CREATE DATABASE \"$db\""
    ;;
  fresh)  # drop and create the database
    db=${2:?database name}
    psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    psql_admin -c "CREATE DATABASE \"$db\""
    ;;
  *) echo "usage: $0 start|stop|crash|status|url [DB]|ensure DB|fresh DB" >&2; exit 64 ;;
esac

#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for tests and benchmarks, and prints its URL on the last line.
#
#   scripts/postgres-cluster.sh start  [PORT] [--durable]  → postgres://hailong@127.0.0.1:PORT/postgres
#   scripts/postgres-cluster.sh resume [PORT] [--durable]  → the same, keeping the cluster's databases
#   scripts/postgres-cluster.sh stop   [PORT]
#
# `start` always begins with an empty cluster (a folder left by an earlier run is removed). `resume` starts
# the cluster an earlier `start` made on that port, with its databases: a benchmark's generated database
# (BENCH_KEEP_POSTGRES) survives `pg_ctl stop` and a reboot that keeps TMPDIR, but not another `start`.
#
# Uses Debian's server binaries (apt-get install postgresql). The cluster lives in a temporary folder,
# listens on 127.0.0.1 only, and trusts local connections: it is never a production database. Without
# --durable it also skips fsync, which makes the test suite faster and changes no result; the benchmark
# passes --durable so that PostgreSQL commits are as safe as SQLite's synchronous=FULL.
set -euo pipefail

action="${1:-start}"
port="${2:-54329}"
durable="${3:-}"
dir="${TMPDIR:-/tmp}/hailong-pg-$port"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
  exit 3
fi

# initdb and postgres refuse to run as root: run them as the postgres system user when we are root.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  stop)
    if [ -d "$dir" ]; then as_owner "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; fi
    rm -f "$dir.initdb.log"
    exit 0
    ;;
  start) ;;
  resume)
    if [ ! -f "$dir/PG_VERSION" ]; then
      echo "no cluster to resume in $dir: use start" >&2
      exit 1
    fi
    ;;
  *) echo "usage: $0 start|resume|stop [PORT] [--durable]" >&2; exit 2 ;;
esac

if [ "$action" = "resume" ]; then
  # A cluster still running (or left by a crash) is stopped first, its data kept.
  as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
else
  if [ -d "$dir" ]; then as_owner "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; fi
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
  # C collation: text sorts by code point, as it does in SQLite, so both databases order lists alike.
  if ! as_owner "$bin/initdb" -D "$dir" -U hailong --auth=trust --encoding=UTF8 --locale=C >"$dir.initdb.log" 2>&1; then
    echo "initdb failed; its output is in $dir.initdb.log" >&2
    exit 1
  fi
fi

options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c shared_buffers=256MB"
if [ "$durable" != "--durable" ]; then options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "$options" -w start >/dev/null
echo "postgres://hailong@127.0.0.1:$port/postgres"

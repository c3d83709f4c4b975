#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server on loopback for tests.
#   scripts/pg-local.sh start DIR PORT   -> prints the connection string
#   scripts/pg-local.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data dir}
bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)")
[ -x "$bindir/pg_ctl" ] || { echo "PostgreSQL server binaries not found (install Debian package postgresql)" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$cmd" in
  start)
    port=${3:-55432}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir" -U quorum --auth=trust -E UTF8 >/dev/null
    fi
    as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    echo "postgres://quorum@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac

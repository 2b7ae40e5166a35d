#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: `start DIR PORT` creates a cluster in DIR (as the
# `postgres` system user when run as root: initdb refuses root), listens on a Unix socket in DIR
# and on 127.0.0.1:PORT, and prints the superuser URL of a fresh database `relief_test`;
# `stop DIR` stops it. Needs Debian's postgresql package (scripts/apt-test.txt).
set -euo pipefail
action=${1:?start DIR PORT | stop DIR}
dir=$(realpath -m "${2:?the cluster folder}")
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ]; then
  echo "no PostgreSQL server installed (apt-get install postgresql)" >&2
  exit 3
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    port=${3:?the port}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
    PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS relief_test" -c "CREATE DATABASE relief_test" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/relief_test"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac

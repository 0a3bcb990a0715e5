#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1:${PGPORT:-5433} with trust auth, in a fresh
# data dir. Prints the admin URL for CORRIDOR_TEST_DB on stdout. Stop it with:
#   pg_ctl -D "$(cat /tmp/corridor-pg.dir)" stop
set -euo pipefail
port="${PGPORT:-5433}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }
data="$(mktemp -d /tmp/corridor-pg.XXXXXX)"
as_pg=()
if [ "$(id -u)" = 0 ]; then  # the server refuses to run as root
  chown postgres:postgres "$data"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bin/initdb" -D "$data" -A trust -U postgres --no-sync >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
echo "$data" > /tmp/corridor-pg.dir
echo "postgresql://postgres@127.0.0.1:$port/postgres"

#!/usr/bin/env bash
# Runs the PostgreSQL adapter's suites against Debian's PostgreSQL 15 instead
# of the embedded PostgreSQL 18: installs it if needed (apt-get, quiet),
# starts a private cluster on 127.0.0.1 with a throwaway data directory, runs
# `npx vitest run packages/adapters/postgres` with DATABASE_URL pointing at it,
# and stops the cluster on exit, whatever happened.
#
# Usage: bash packages/adapters/postgres/scripts/ci-postgres15.sh
# Environment: PG15_PORT (default 55432). Needs root to install packages and
# to run the server as user postgres.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
port="${PG15_PORT:-55432}"
bin=/usr/lib/postgresql/15/bin

if [ ! -x "$bin/pg_ctl" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL 15 is not installed and installing it needs root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql-15 > /dev/null
fi

# PostgreSQL refuses to run as root: run the server as user postgres (created
# by the Debian package), or as whoever we are when not root.
as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

work="$(mktemp -d /tmp/community-policing-pg15-XXXXXX)"
# mktemp makes the folder 0700; the server's user must be able to enter it.
chmod 755 "$work"
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi

cleanup() {
  as_server "$bin/pg_ctl" -D "$work/data" -m fast stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" > "$work/password"
if [ "$(id -u)" = 0 ]; then chown postgres "$work/password"; fi
chmod 600 "$work/password"

as_server "$bin/initdb" --pgdata="$work/data" --username=postgres --pwfile="$work/password" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync > /dev/null
as_server "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories= -c fsync=off -c max_connections=300" > /dev/null

version="$(as_server "$bin/postgres" --version)"
echo "running the PostgreSQL adapter's suites against ${version} on 127.0.0.1:${port}"

cd "$repo_root"
status=0
DATABASE_URL="postgres://postgres:${password}@127.0.0.1:${port}/postgres" \
  npx vitest run packages/adapters/postgres || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log (last 50 lines) ---" >&2
  tail -n 50 "$work/server.log" >&2 || true
fi
exit "$status"

#!/usr/bin/env bash
# Makes sure a PostgreSQL cluster of the tests' own is running on
# 127.0.0.1:5433 and prints the DSN the tests read.
#
# Why a cluster of their own: every store and API test creates a fresh
# database and drops it when it ends, and PostgreSQL forces a checkpoint of
# the whole cluster on every DROP DATABASE and flushes the WAL to disk on every
# commit. On a durable server those fsyncs, not the tests' SQL, set the pace
# of the suite. This cluster is the same PostgreSQL (same binaries, same SQL,
# real connections) with fsync, synchronous_commit and full_page_writes off:
# nothing it holds has to survive a crash of the machine. It never touches
# the machine's own server, which the benchmark keeps using (a figure
# measured without fsync would mislead), and the resilience suite's restart
# tests start private servers of their own.
#
# The data lives under ${TMPDIR:-/tmp} (PostgreSQL runs as the postgres OS
# user when this runs as root, and a checkout may sit in a directory that user
# cannot enter).
# Usage: eval "$(scripts/ensure-pgtest.sh)"   (ensure-services.sh calls it)
set -euo pipefail

log() { echo "ensure-pgtest: $*" >&2; }

port=${IBUTSU_TEST_PG_PORT:-5433}
dir=${IBUTSU_TEST_PG_DIR:-${TMPDIR:-/tmp}/ibutsu-pgtest-$(id -u)}
data=$dir/data

up() { pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; }

if ! up; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  bindir=/usr/lib/postgresql/$ver/bin
  [ -n "$ver" ] && [ -x "$bindir/initdb" ] || { log "no PostgreSQL server binaries under /usr/lib/postgresql"; exit 1; }
  runas=()
  if [ "$(id -u)" -eq 0 ]; then runas=(runuser -u postgres --); fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb $data (PostgreSQL $ver)"
    "${runas[@]}" "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-sync >&2
  fi
  log "starting the tests' PostgreSQL $ver on 127.0.0.1:$port (fsync off)"
  "${runas[@]}" "$bindir/pg_ctl" -D "$data" -l "$dir/log" -w -t 60 start -o \
    "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB -c autovacuum=off" >&2
  up || { log "the tests' PostgreSQL did not start (see $dir/log)"; exit 1; }
fi
echo "export IBUTSU_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"

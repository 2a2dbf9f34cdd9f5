#!/usr/bin/env bash
# Makes sure the services the tests talk to are running on this machine:
# PostgreSQL on 127.0.0.1:5432 (the benchmark's) and a cluster of the tests' own
# on 127.0.0.1:5433 (scripts/ensure-pgtest.sh), Redis on 127.0.0.1:6379 and an S3-compatible
# server on 127.0.0.1:7070 (scripts/ensure-s3.sh). Installs them
# from Debian's packages when missing, starts them when stopped, creates the
# test role access, and prints the env vars the tests read.
# Usage: eval "$(scripts/ensure-services.sh)"
set -euo pipefail

log() { echo "ensure-services: $*" >&2; }

apt_updated=""
need_pkg() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

# --- PostgreSQL -----------------------------------------------------------
if [ -z "${IBUTSU_TEST_DATABASE_URL:-}" ]; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    need_pkg postgresql postgresql-client
  fi
  if ! pg_up; then
    ver=$(ls /etc/postgresql | sort -V | tail -n1)
    if [ -z "$ver" ]; then log "no PostgreSQL cluster found"; exit 1; fi
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    # Tests connect over TCP as postgres without a password.
    if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    log "starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
    pg_up || { log "PostgreSQL did not start"; exit 1; }
  fi
  # The machine's durable server is the benchmark's (its figures must
  # include the fsyncs production pays); the tests get a cluster of their own
  # with fsync off (scripts/ensure-pgtest.sh says why).
  export IBUTSU_BENCH_DATABASE_URL="${IBUTSU_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
  eval "$("$(dirname "$0")/ensure-pgtest.sh")"
fi

# --- Redis ------------------------------------------------------------------
if [ -z "${IBUTSU_TEST_REDIS_URL:-}" ]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    need_pkg redis-server
  fi
  if ! redis_up; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >&2
    for _ in $(seq 1 30); do redis_up && break; sleep 1; done
    redis_up || { log "Redis did not start"; exit 1; }
  fi
  export IBUTSU_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
fi

# --- S3-compatible object store (versitygw) --------------------------------
eval "$("$(dirname "$0")/ensure-s3.sh")"

echo "export IBUTSU_TEST_DATABASE_URL='$IBUTSU_TEST_DATABASE_URL'"
if [ -n "${IBUTSU_BENCH_DATABASE_URL:-}" ]; then echo "export IBUTSU_BENCH_DATABASE_URL='$IBUTSU_BENCH_DATABASE_URL'"; fi
echo "export IBUTSU_TEST_REDIS_URL='$IBUTSU_TEST_REDIS_URL'"
echo "export IBUTSU_TEST_S3_ENDPOINT='$IBUTSU_TEST_S3_ENDPOINT'"

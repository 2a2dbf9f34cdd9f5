#!/usr/bin/env bash
# Makes sure an S3-compatible server is running for the tests: versitygw
# (Apache-2.0) with its posix backend on 127.0.0.1:7070, built from the Go
# module proxy (version pinned in tools/s3/go.mod) into bin/ on first use and
# again only when tools/s3/go.mod changes. Prints the env vars the tests read.
# Usage: eval "$(scripts/ensure-s3.sh)"   (ensure-services.sh calls it)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "ensure-s3: $*" >&2; }

if [ -n "${IBUTSU_TEST_S3_ENDPOINT:-}" ]; then
  echo "export IBUTSU_TEST_S3_ENDPOINT='$IBUTSU_TEST_S3_ENDPOINT'"
  exit 0
fi

port=${IBUTSU_TEST_S3_PORT:-7070}
access=ibutsu-test
secret=ibutsu-test-secret
bin=bin/versitygw
s3dir=${IBUTSU_TEST_S3_DIR:-$PWD/var/s3}
data=$s3dir/objects
meta=$s3dir/meta

# Listening on the port is enough: versitygw opens it once it is ready.
s3_up() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

if ! s3_up; then
  if [ ! -x "$bin" ] || [ tools/s3/go.mod -nt "$bin" ]; then
    log "building versitygw (pinned in tools/s3/go.mod) into bin/"
    mkdir -p bin
    (cd tools/s3 && GOWORK=off CGO_ENABLED=0 go build -o ../../$bin github.com/versity/versitygw/cmd/versitygw) >&2
  fi
  mkdir -p "$data" var
  log "starting versitygw on 127.0.0.1:$port (data in $data)"
  # The sidecar directory keeps object metadata (ETags) in files, so the
  # data directory needs no extended-attribute support.
  mkdir -p "$meta"
  nohup "$bin" --quiet --access "$access" --secret "$secret" --port "127.0.0.1:$port" \
    posix --sidecar "$meta" "$data" >var/versitygw.log 2>&1 &
  for _ in $(seq 1 50); do s3_up && break; sleep 0.2; done
  s3_up || { log "versitygw did not start (see var/versitygw.log)"; exit 1; }
fi
echo "export IBUTSU_TEST_S3_ENDPOINT='http://$access:$secret@127.0.0.1:$port'"

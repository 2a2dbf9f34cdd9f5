#!/usr/bin/env bash
# ci-stage.sh NAME CMD...: runs CMD and prints how long it took, so a CI log
# shows where its time went stage by stage (the budget is 30 minutes). The
# line goes to stderr: ensure-services.sh's stdout is eval'd.
set -uo pipefail
name=$1
shift
start=$(date +%s)
"$@"
rc=$?
echo ">> ci-stage ${name}: $(($(date +%s) - start)) s (exit ${rc})" >&2
exit "$rc"

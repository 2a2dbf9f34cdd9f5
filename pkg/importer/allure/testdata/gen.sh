#!/bin/sh
# Regenerates allure-mocha/ (an allure-results directory) with the real
# allure-mocha 3.12.2 reporter and mocha (Node.js 20) from the sample
# project in project/, and allure-mocha.tar.gz, the same files as the
# archive a user uploads. Paths of the temporary directory the project ran
# in are replaced by /sample, so the fixture names no machine path.
# Run: sh gen.sh
set -eu
. "$(dirname "$0")/../../../testkit/parsertest/npm-sample.sh"
npm install --no-audit --no-fund mocha@11.7.5 allure-mocha@3.12.2 >/dev/null
# exits non-zero: some tests fail on purpose
npx mocha || true
rm -rf "$here/allure-mocha"
mkdir "$here/allure-mocha"
for f in allure-results/*; do
  case "$f" in
  *.json) sed "s#$work#/sample#g" "$f" > "$here/allure-mocha/$(basename "$f")" ;;
  *) cp "$f" "$here/allure-mocha/" ;;
  esac
done
tar -C "$here/allure-mocha" --sort=name --owner=0 --group=0 --mtime=2026-01-01 -czf "$here/allure-mocha.tar.gz" .

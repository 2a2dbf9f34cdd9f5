#!/bin/sh
# Regenerates cucumber-js.json with the real cucumber-js 12.9.0 (Node.js 20)
# from the sample project in project/. Run: sh gen.sh
# The temporary directory the project ran in is replaced by /sample in the
# output (stack traces name it), so the fixture names no machine path.
set -eu
. "$(dirname "$0")/../../../testkit/parsertest/npm-sample.sh"
npm install --no-audit --no-fund @cucumber/cucumber@12.9.0 >/dev/null
# --retry 1 lets the @flaky scenario pass on its second attempt; cucumber-js
# exits 1 because some scenarios fail on purpose.
npx cucumber-js --retry 1 --retry-tag-filter @flaky --format json:report.json --format summary || true
sed "s#$work#/sample#g" report.json > "$here/cucumber-js.json"

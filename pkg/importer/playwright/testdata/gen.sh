#!/bin/sh
# Regenerates playwright-json.json with the real Playwright test runner
# (@playwright/test 1.65.2, its JSON reporter, Node.js 20) from the sample
# project in project/. No test opens a page, so no browser is downloaded.
# Paths of the temporary directory the project ran in are replaced by
# /sample in the output, so the fixture names no machine path.
# Run: sh gen.sh
set -eu
. "$(dirname "$0")/../../../testkit/parsertest/npm-sample.sh"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund @playwright/test@1.65.2 >/dev/null
# exits 1: some tests fail on purpose
npx playwright test || true
sed "s#$work#/sample#g" report.json > "$here/playwright-json.json"

#!/bin/sh
# Regenerates the real tracebacks the fingerprint tests read: each suite runs
# twice (run1, run2), so the tests can check that the same failure gets the
# same fingerprint although ids, addresses, timings and temp paths differ.
# Needs: python3 (or $PYTHON) with pytest (Debian: python3-pytest), a JDK with JUnit 4
# (Debian: junit4), Go. Run from this directory: sh gen.sh
set -u
here=$(pwd)
out=$here/..
for n in 1 2; do
	t=$(mktemp -d)
	(cd pytest && ${PYTHON:-python3} -m pytest -p no:cacheprovider -q --junitxml="$out/pytest-run$n.xml" test_sample.py >/dev/null 2>&1)
	javac -d "$t" -cp /usr/share/java/junit4.jar java/SampleTest.java
	java -cp "$t:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar" org.junit.runner.JUnitCore SampleTest >"$out/junit4-run$n.txt" 2>&1
	mkdir "$t/g" && cp gotest/sample_test.go "$t/g/" && printf 'module sample\n\ngo 1.22\n' >"$t/g/go.mod"
	(cd "$t/g" && go test ./... >"$out/gotest-run$n.txt" 2>&1)
	rm -rf "$t"
done

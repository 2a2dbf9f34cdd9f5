#!/bin/sh
# Regenerates the real tracebacks the fingerprint tests read: each suite runs
# twice (run1, run2), so the tests can check that the same failure gets the
# same fingerprint although ids, addresses, timings and temp paths differ.
# Needs: python3 (or $PYTHON) with pytest (Debian: python3-pytest), a JDK with JUnit 4
# (Debian: junit4), Ant with its JUnit task (Debian: ant, ant-optional), Go, and
# go-junit-report (Go module github.com/jstemmer/go-junit-report/v2, on PATH).
# Run from this directory: sh gen.sh
set -u
here=$(pwd)
out=$here/..
for n in 1 2; do
	t=$(mktemp -d)
	(cd pytest && ${PYTHON:-python3} -m pytest -p no:cacheprovider -q --junitxml="$out/pytest-run$n.xml" test_sample.py >/dev/null 2>&1)
	javac -d "$t" -cp /usr/share/java/junit4.jar java/SampleTest.java
	java -cp "$t:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar" org.junit.runner.JUnitCore SampleTest >"$out/junit4-run$n.txt" 2>&1
	# The same tests as a Java CI job reports them: Ant's JUnit task, XML
	# formatter. Its <properties> (the JVM's system properties: this
	# machine's paths and user) are left out; nothing else is changed.
	mkdir "$t/r"
	ant -q -f java/build.xml -Dclasses="$t/c" -Dreports="$t/r" >/dev/null 2>&1
	sed '/^    <property /d' "$t/r/TEST-SampleTest.xml" >"$out/ant-junit4-run$n.xml"
	mkdir "$t/g" && cp gotest/sample_test.go "$t/g/" && printf 'module sample\n\ngo 1.22\n' >"$t/g/go.mod"
	(cd "$t/g" && go test ./... >"$out/gotest-run$n.txt" 2>&1)
	# The same tests as a Go CI job reports them in JUnit XML.
	(cd "$t/g" && go test -v ./... 2>&1 | go-junit-report >"$out/go-junit-report-run$n.xml")
	rm -rf "$t"
done

// Package testkit is the root of the shared test support: it holds no code,
// only this map. Its packages are imported by tests alone (_test.go files
// here and in the test harnesses, test/resilience among them, which is why
// it is not internal); production code never imports them, which
// pkg/platform/layering_test.go checks.
//
//   - testenv: the addresses of the real PostgreSQL and Redis a test talks to
//     (skip locally, fail under CI=true) and fresh, isolated databases.
//   - testdb: migrated PostgreSQL and SQLite databases for store tests
//     (testdb.Each runs a test on both, testdb.Postgres on PostgreSQL alone).
//   - backendtest: a whole backend behind httptest, users logged in.
//   - climain: the --help and exit-code checks every background binary's
//     main_test.go shares.
//   - junitgen: generated JUnit reports for import tests and benchmarks.
//   - jsontest: what a value encodes to as JSON, for comparing answers.
//   - logbuf: a log destination a test reads back (text, or JSON records)
//     while a worker, scheduler or server goroutine still writes to it.
//   - cpuclock: the CPU time the process used, for benchmarks on a shared
//     machine.
//   - parsertest: the collecting sinks, fixture readers, detection and
//     broken-input tables and fuzz bodies of the import format parsers'
//     tests (pkg/importer/<format>).
package testkit

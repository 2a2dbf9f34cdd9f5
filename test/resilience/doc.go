// Package resilience holds the fault, hostile-input, security and soak tests
// of issue #11, and the small helpers they share: private PostgreSQL and
// Redis servers the tests may stop and kill (the shared test services must
// never be restarted, other suites are using them), a backend child process,
// and an ingest load generator that remembers every acknowledged result so
// a test can prove none was lost.
//
// It is a Go module of its own (in go.work), outside the production tree,
// so the main `go test` never runs it: run it with `make resilience` (part
// of `make test`, which runs it once, after the other packages). The soak length is
// IBUTSU_SOAK_DURATION (default 30s; 10m for a full soak); the big JUnit
// import's size is IBUTSU_BIG_IMPORT_MB (default 50; docs/performance.md).
// TestReplicas (issue #24) runs two backends, two workers and a scheduler
// on one database and queue (docs/scaling.md).
// Tests that time or measure something (faults, soak, upload memory) run
// one at a time; the others call t.Parallel and so run together after them.
package resilience

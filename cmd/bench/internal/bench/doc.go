// Package bench measures the Go backend end to end on a real PostgreSQL and
// Redis (cmd/bench, `make bench`): ingest, JUnit import, list queries,
// widgets and memory. Every figure is printed next to a limit measured in
// the same run on the same machine (raw pgx COPY/INSERT, a bare gin handler,
// the JUnit parser alone, the raw SQL behind a page), because absolute
// numbers on a shared CI box are noise and the ratio to the physical floor
// is what tells whether the server is slow. Scales are small (a CI smoke
// test that fails only on errors), medium and large.
package bench

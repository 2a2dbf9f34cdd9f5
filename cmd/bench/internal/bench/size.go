package bench

import (
	"context"
	"fmt"
	"strings"
)

// sizeTables are the tables whose on-disk size the size rows report: every
// table of the schema (pkg/platform/db/migrations/postgres) whose rows are
// written per result, per run or per artifact of one, by the application
// or by the triggers on results and runs, so that it grows with the
// results stored. TestSizeTablesCoverTheSchema keeps the list complete
// against the catalog. Left out, as they grow with something else: users,
// projects, dashboards, widgets, tokens, imports and their files and
// chunks, retention and triage settings, quarantine rules, flaky settings
// and flaky tests (one row per test found flaky, not per result), webhooks,
// the S3 watcher's record and the compaction mark.
var sizeTables = []string{
	// Per result.
	"results",
	"ibutsu_result_fingerprints",         // 00009: per failed or errored result with a traceback
	"ibutsu_fingerprint_classifications", // 00013: per fingerprinted result classified
	"ibutsu_classification_history",      // 00013: per classification change
	"ibutsu_flaky_evidence",              // 00011: per result cited by a flaky test
	"ibutsu_flaky_run_touched",           // 00026: per result written, until its run's flaky refresh
	// Per run.
	"runs",
	"ibutsu_run_state",          // 00014
	"ibutsu_run_result_counts",  // 00024: deltas per write statement, folded by the run's summary
	"ibutsu_flaky_run_tests",    // 00023: per failed test of a run refreshed in the last day
	"ibutsu_webhook_announced",  // 00015: per new fingerprint announced of a run
	"ibutsu_webhook_deliveries", // 00015: per event and subscription, once webhooks are set up
	// Per artifact of a result or a run.
	"artifacts",
	"ibutsu_artifact_objects", // 00016
	// Aggregates the triggers keep as deltas, folded by the compaction.
	"ibutsu_result_counts",            // 00005: per project, day, outcome, component, env
	"ibutsu_run_sums",                 // 00019: per project, day, component, env, source, Jenkins job
	"ibutsu_fingerprint_class_counts", // 00021: per project, fingerprint, classification
}

// tableSize is one table's bytes on disk and its exact row count.
type tableSize struct {
	name                    string
	heap, toast, idx, total int64
	nidx                    int
	rows                    int64
}

// sizes reports, right after the seed's VACUUM (ANALYZE) and a compaction,
// per million rows of results: each table of sizeTables that holds rows
// (its total, with its heap, TOAST and indexes in the detail; one row a
// table keeps the list readable), their sum, naming the tables still
// empty (a row of zero would read as a failure), and the whole database.
// Capacity planning reads these (database size per million results); the
// row counts are exact, so the per-million figures include whatever other
// scenarios wrote before.
func (e *Env) sizes(ctx context.Context, rep *Report) error {
	var results int64
	if err := e.Raw.QueryRow(ctx, "SELECT count(*) FROM results").Scan(&results); err != nil {
		return fmt.Errorf("count results: %w", err)
	}
	if results == 0 {
		return fmt.Errorf("size: results is empty")
	}
	perM := float64(results) / 1e6
	var sum tableSize
	var empty []string
	for _, t := range sizeTables {
		s, err := e.tableSize(ctx, t)
		if err != nil {
			return err
		}
		if s.rows == 0 {
			empty = append(empty, t)
			continue
		}
		sum.heap, sum.toast, sum.idx, sum.total = sum.heap+s.heap, sum.toast+s.toast, sum.idx+s.idx, sum.total+s.total
		sum.nidx += s.nidx
		rep.add(sizeRow(s.name+", per 1M results", s, perM,
			fmt.Sprintf("%s MiB for %d results, %d rows", mib(s.total, 1), results, s.rows)))
	}
	more := fmt.Sprintf("%s MiB for %d results", mib(sum.total, 1), results)
	if len(empty) > 0 {
		more += fmt.Sprintf("; the other %d, empty: %s", len(empty), strings.Join(empty, ", "))
	}
	rep.add(sizeRow(fmt.Sprintf("the %d of these %d tables that hold rows, per 1M results", len(sizeTables)-len(empty), len(sizeTables)),
		sum, perM, more))
	var db int64
	if err := e.Raw.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&db); err != nil {
		return fmt.Errorf("database size: %w", err)
	}
	rep.add(Row{Scenario: "size", Case: "whole database, per 1M results", Unit: "MiB", Value: float64(db) / (1 << 20) / perM,
		Detail: fmt.Sprintf("%s MiB for %d results (every table, index and artifact the run wrote so far)", mib(db, 1), results)})
	return nil
}

// tableSize measures one table: its heap (with its free space and
// visibility maps), its TOAST table (with the TOAST index), its own
// indexes, its total, and its rows counted (the tables other than results
// and runs are not analyzed after the seed, so reltuples says nothing).
func (e *Env) tableSize(ctx context.Context, t string) (tableSize, error) {
	s := tableSize{name: t}
	err := e.Raw.QueryRow(ctx, `SELECT pg_table_size(c.oid), COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0),
			pg_indexes_size(c.oid), pg_total_relation_size(c.oid), (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)
		FROM pg_class c WHERE c.oid = $1::regclass`, t).Scan(&s.heap, &s.toast, &s.idx, &s.total, &s.nidx)
	if err != nil {
		return s, fmt.Errorf("size of %s: %w", t, err)
	}
	s.heap -= s.toast
	// t is one of sizeTables, never input.
	if err := e.Raw.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&s.rows); err != nil {
		return s, fmt.Errorf("count %s: %w", t, err)
	}
	return s, nil
}

// sizeRow is the row of a table (or of a sum of tables): its total per
// million results, and in the detail its heap, TOAST and indexes per
// million results, then what follows.
func sizeRow(what string, s tableSize, perM float64, more string) Row {
	return Row{Scenario: "size", Case: what, Unit: "MiB", Value: float64(s.total) / (1 << 20) / perM,
		Detail: fmt.Sprintf("per 1M results: heap %s + TOAST %s + %d indexes %s MiB; %s",
			mib(s.heap, perM), mib(s.toast, perM), s.nidx, mib(s.idx, perM), more)}
}

// mib formats bytes/div in MiB as the table's values are (num).
func mib(bytes int64, div float64) string {
	return num(float64(bytes) / (1 << 20) / div)
}

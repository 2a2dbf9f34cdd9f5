package bench

import (
	"context"
	"fmt"
)

// sizeTables are the tables whose on-disk size the size rows report: the
// two that grow with every result, and the count table the
// result-aggregator widget reads.
var sizeTables = []string{"results", "runs", "ibutsu_result_counts"}

// sizes reports, right after the seed's VACUUM (ANALYZE), each table's
// heap (with its TOAST and maps), its indexes and its total, per million
// rows of results, and the whole database. Capacity planning reads these
// (database size per million results); the row counts are exact, so the
// per-million figures include whatever other scenarios wrote before.
func (e *Env) sizes(ctx context.Context, rep *Report) error {
	var results int64
	if err := e.Raw.QueryRow(ctx, "SELECT count(*) FROM results").Scan(&results); err != nil {
		return fmt.Errorf("count results: %w", err)
	}
	if results == 0 {
		return fmt.Errorf("size: results is empty")
	}
	perM := float64(results) / 1e6
	const mib = 1 << 20
	for _, t := range sizeTables {
		var heap, idx, total, rows int64
		var nidx int
		err := e.Raw.QueryRow(ctx, `SELECT pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid),
				(SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid), c.reltuples::bigint
			FROM pg_class c WHERE c.oid = $1::regclass`, t).Scan(&heap, &idx, &total, &nidx, &rows)
		if err != nil {
			return fmt.Errorf("size of %s: %w", t, err)
		}
		rowsNote := fmt.Sprintf("%s ≈ %d rows", t, rows)
		if rows < 0 { // never ANALYZEd (the count table)
			rowsNote = t + " not yet analyzed"
		}
		for _, part := range []struct {
			what  string
			bytes int64
		}{{"heap + TOAST", heap}, {fmt.Sprintf("%d indexes", nidx), idx}, {"total", total}} {
			rep.add(Row{Scenario: "size", Case: fmt.Sprintf("%s: %s, per 1M results", t, part.what), Unit: "MiB",
				Value:  float64(part.bytes) / mib / perM,
				Detail: fmt.Sprintf("%.0f MiB for %d results (%s)", float64(part.bytes)/mib, results, rowsNote)})
		}
	}
	var db int64
	if err := e.Raw.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&db); err != nil {
		return fmt.Errorf("database size: %w", err)
	}
	rep.add(Row{Scenario: "size", Case: "whole database, per 1M results", Unit: "MiB", Value: float64(db) / mib / perM,
		Detail: fmt.Sprintf("%.0f MiB for %d results (every table, index and artifact the run wrote so far)", float64(db)/mib, results)})
	return nil
}

package fingerprint

import (
	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// PendingAnnotationLookups are AnnotationLookups for a failure that is
// about to be written (row, from Of): they read, before its insert, what
// AnnotationLookups reads after it, so POST /api/result can read a
// failure's marks in the statement that checks its run, as it does a
// passed result's. That statement was one round trip more per failure,
// after its insert, reading through the new fingerprint row: about a sixth
// of what a failure cost beyond a passed result (issue #21,
// docs/performance.md). The fingerprint is row's own, so only "known" and
// the suggestion are read:
//
//   - Known: as AnnotationLookups, with the run's first time of the
//     fingerprint taken over the run's stored rows and row itself (LEAST:
//     row is not stored yet). row itself can never be the earlier row: it
//     is not stored, and after its insert the strict "<" left it out. The
//     run's first time is spelled ORDER BY start_time LIMIT 1 (start_time
//     is NOT NULL, so it is the MIN): with its arguments as parameters
//     rather than columns of an outer row, PostgreSQL planned MIN as an
//     aggregate over all the run's rows of the fingerprint (52 buffers for
//     100 rows, and more with every failure of the run) instead of one
//     entry of ix_ibutsu_result_fingerprints_run_start.
//   - The suggestion (only with suggest, for an unclassified failure):
//     the project's counts of the fingerprint. AnnotationLookups takes the
//     result's own classification row off them; a result that is not
//     stored has none, and one the automatic rule classifies shows no
//     suggestion (the view drops it for a classified result).
//
// PostgreSQL only (LEAST, the count table); out is keyed by row.ResultID
// and gets its entry now.
func PendingAnnotationLookups(row Row, suggest bool, out map[uuid.UUID]*Annotation) []db.Lookup {
	a := &Annotation{Fingerprint: row.Fingerprint}
	out[row.ResultID] = a
	ls := []db.Lookup{{
		SQL: `SELECT CAST(? AS uuid) AS k, NULL AS a, NULL AS b, NULL AS c, 0 AS n
			WHERE (SELECT 1 FROM ibutsu_result_fingerprints e
				WHERE e.project_id = CAST(? AS uuid) AND e.fingerprint = CAST(? AS text)
				AND (CAST(? AS uuid) IS NULL OR e.run_id IS NULL OR e.run_id <> CAST(? AS uuid))
				AND e.start_time < LEAST((SELECT s.start_time FROM ibutsu_result_fingerprints s
					WHERE s.run_id = CAST(? AS uuid) AND s.fingerprint = CAST(? AS text)
					ORDER BY s.start_time LIMIT 1), CAST(? AS timestamp))
				LIMIT 1) = 1`,
		Args: []any{row.ResultID, row.ProjectID, row.Fingerprint, row.RunID, row.RunID, row.RunID, row.Fingerprint, row.StartTime},
		Read: func(rows []db.LookupRow) { a.Known = len(rows) > 0 },
	}}
	if !suggest {
		return ls
	}
	return append(ls, db.Lookup{
		SQL: `SELECT CAST(? AS uuid) AS k, c.classification AS a, NULL AS b, NULL AS c, SUM(c.n)::bigint AS n
			FROM ibutsu_fingerprint_class_counts c
			WHERE c.project_id = CAST(? AS uuid) AND c.fingerprint = CAST(? AS text)
			GROUP BY c.classification
			HAVING SUM(c.n) > 0`,
		Args: []any{row.ResultID, row.ProjectID, row.Fingerprint},
		Read: func(rows []db.LookupRow) {
			if len(rows) == 0 {
				return
			}
			counts := map[string]int{}
			for _, r := range rows {
				counts[model.Deref(r.A)] += int(r.N)
			}
			a.Suggested, a.BasedOn = MostCommon(counts)
		},
	})
}

package fingerprint

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// Annotation is what triage adds to a failed or errored result in the API
// (docs/triage.md): its fingerprint, whether the project had it before the
// result's run (new/known) and, when other results of the project with the
// same fingerprint were classified, the classification they suggest.
type Annotation struct {
	Fingerprint string
	Known       bool
	Suggested   string
	BasedOn     int
}

// Annotations reads the annotations of the results in ids: one statement
// (AnnotationLookups), whatever the page size. Results without fingerprint
// are absent from the answer.
func Annotations(ctx context.Context, d *db.DB, ids []uuid.UUID) (map[uuid.UUID]*Annotation, error) {
	out := map[uuid.UUID]*Annotation{}
	if err := d.Lookups(ctx, AnnotationLookups(d.Dialect, ids, ids, out)...); err != nil {
		return nil, fmt.Errorf("result annotations: %w", err)
	}
	return out, nil
}

// AnnotationLookups are the index reads that annotate the results in ids (a
// list page's failures), for a caller to run with its other page look-ups
// (db.Lookups) on a database of dialect; they fill out, keyed by result
// id. None for no ids. The suggestion is read only for the results in
// suggest (a subset of ids): a caller that shows no suggestion for a
// classified result passes the unclassified ones, so a classified failure
// (every failure the automatic rule classifies, issue #21) costs no read
// of its cluster's counts; with none, that look-up is left out.
func AnnotationLookups(dialect db.Dialect, ids, suggest []uuid.UUID, out map[uuid.UUID]*Annotation) []db.Lookup {
	if len(ids) == 0 {
		return nil
	}
	ls := []db.Lookup{{
		SQL: `SELECT result_id AS k, fingerprint AS a, NULL AS b, NULL AS c, 0 AS n
			FROM ibutsu_result_fingerprints WHERE result_id IN ?`,
		Args: []any{ids},
		Read: func(rows []db.LookupRow) {
			for _, r := range rows {
				out[r.K] = &Annotation{Fingerprint: model.Deref(r.A)}
			}
		},
	}, {
		// Known: the project had the fingerprint in another run before the
		// first result of it in this run — the rule of a run's clusters.
		// Two index probes per result: the run's first time of the
		// fingerprint (MIN answered by ix_ibutsu_result_fingerprints_run_start,
		// migration 00018) and one earlier row (ix_ibutsu_result_fingerprints_seen).
		// A scalar subquery with LIMIT 1 rather than EXISTS: PostgreSQL
		// turns EXISTS into a semi join and, for a page of a few hundred
		// failures, hashed the project's every fingerprint row for it.
		SQL: `SELECT f.result_id AS k, NULL AS a, NULL AS b, NULL AS c, 0 AS n FROM ibutsu_result_fingerprints f
			WHERE f.result_id IN ? AND (
				SELECT 1 FROM ibutsu_result_fingerprints e
				WHERE e.project_id = f.project_id AND e.fingerprint = f.fingerprint
				AND (f.run_id IS NULL OR e.run_id IS NULL OR e.run_id <> f.run_id)
				AND e.start_time < COALESCE((SELECT MIN(s.start_time) FROM ibutsu_result_fingerprints s
					WHERE s.run_id = f.run_id AND s.fingerprint = f.fingerprint), f.start_time)
				LIMIT 1) = 1`,
		Args: []any{ids},
		Read: func(rows []db.LookupRow) {
			for _, r := range rows {
				if a := out[r.K]; a != nil {
					a.Known = true
				}
			}
		},
	}}
	if len(suggest) == 0 {
		return ls
	}
	return append(ls, db.Lookup{
		SQL:  suggestionSQL(dialect),
		Args: []any{suggest},
		Read: func(rows []db.LookupRow) {
			counts := map[uuid.UUID]map[string]int{}
			for _, r := range rows {
				if counts[r.K] == nil {
					counts[r.K] = map[string]int{}
				}
				counts[r.K][model.Deref(r.A)] += int(r.N)
			}
			for id, m := range counts {
				if a := out[id]; a != nil {
					a.Suggested, a.BasedOn = MostCommon(m)
				}
			}
		},
	})
}

// suggestionSQL is the suggestion's look-up: per result in ?, how many
// other results of its project and fingerprint carry each classification.
// On PostgreSQL it reads the counts migration 00021's triggers keep
// (ibutsu_fingerprint_class_counts, a few dozen rows per fingerprint at
// most) and takes the result's own classification row (one primary-key
// probe; it joins each delta row of its classification, hence MAX) off
// its classification, so a failure's answer costs the same whatever the
// size of its cluster; counting the classification rows themselves read
// every classified result of the fingerprint for every failure POST
// /api/result answered. SQLite (small data sets, no such table) counts
// the rows.
func suggestionSQL(dialect db.Dialect) string {
	if dialect == db.SQLite {
		return `SELECT f.result_id AS k, c.classification AS a, NULL AS b, NULL AS c, COUNT(*) AS n
			FROM ibutsu_result_fingerprints f
			JOIN ibutsu_fingerprint_classifications c
				ON c.project_id = f.project_id AND c.fingerprint = f.fingerprint AND c.result_id <> f.result_id
			WHERE f.result_id IN ?
			GROUP BY f.result_id, c.classification`
	}
	return `SELECT f.result_id AS k, c.classification AS a, NULL AS b, NULL AS c,
			(SUM(c.n) - MAX(CASE WHEN o.project_id = f.project_id AND o.fingerprint = f.fingerprint
				AND o.classification = c.classification THEN 1 ELSE 0 END))::bigint AS n
			FROM ibutsu_result_fingerprints f
			LEFT JOIN ibutsu_fingerprint_classifications o ON o.result_id = f.result_id
			JOIN ibutsu_fingerprint_class_counts c ON c.project_id = f.project_id AND c.fingerprint = f.fingerprint
			WHERE f.result_id IN ?
			GROUP BY f.result_id, c.classification
			HAVING SUM(c.n) - MAX(CASE WHEN o.project_id = f.project_id AND o.fingerprint = f.fingerprint
				AND o.classification = c.classification THEN 1 ELSE 0 END) > 0`
}

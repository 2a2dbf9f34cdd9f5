package fingerprint

import (
	"context"
	"fmt"

	"github.com/google/uuid"

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

// Annotations reads the annotations of the results in ids (a list page, or
// the one result POST /api/result answers with): one statement, whatever
// the page size — the fingerprints, whether each was seen before (an EXISTS
// on the project index) and the classification counts of the other results
// with it, one row per result and classification. Results without
// fingerprint are absent from the answer.
//
// Known: the project had the fingerprint in another run before the first
// result of it in this run — the rule of a run's clusters.
func Annotations(ctx context.Context, d *db.DB, ids []uuid.UUID) (map[uuid.UUID]*Annotation, error) {
	out := map[uuid.UUID]*Annotation{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ResultID       uuid.UUID
		Fingerprint    string
		Known          bool
		Classification *string
		N              int
	}
	err := d.Conn(ctx).Raw(`SELECT k.result_id, k.fingerprint, k.known, c.classification, COUNT(c.result_id) AS n
		FROM (SELECT f.result_id, f.project_id, f.fingerprint, EXISTS (
				SELECT 1 FROM ibutsu_result_fingerprints e
				WHERE e.project_id = f.project_id AND e.fingerprint = f.fingerprint
				AND (f.run_id IS NULL OR e.run_id IS NULL OR e.run_id <> f.run_id)
				AND e.start_time < COALESCE((SELECT MIN(s.start_time) FROM ibutsu_result_fingerprints s
					WHERE s.run_id = f.run_id AND s.fingerprint = f.fingerprint), f.start_time)) AS known
			FROM ibutsu_result_fingerprints f WHERE f.result_id IN ?) k
		LEFT JOIN ibutsu_fingerprint_classifications c
			ON c.project_id = k.project_id AND c.fingerprint = k.fingerprint AND c.result_id <> k.result_id
		GROUP BY k.result_id, k.fingerprint, k.known, c.classification`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("result annotations: %w", err)
	}
	counts := map[uuid.UUID]map[string]int{}
	for _, r := range rows {
		if out[r.ResultID] == nil {
			out[r.ResultID] = &Annotation{Fingerprint: r.Fingerprint, Known: r.Known}
		}
		if r.Classification != nil {
			if counts[r.ResultID] == nil {
				counts[r.ResultID] = map[string]int{}
			}
			counts[r.ResultID][*r.Classification] += r.N
		}
	}
	for id, m := range counts {
		out[id].Suggested, out[id].BasedOn = MostCommon(m)
	}
	return out, nil
}

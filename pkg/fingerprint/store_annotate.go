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

// Annotations reads the annotations of the results in ids (a list page):
// three index reads, whatever the page size. Results without fingerprint
// are absent from the answer.
func Annotations(ctx context.Context, d *db.DB, ids []uuid.UUID) (map[uuid.UUID]*Annotation, error) {
	out := map[uuid.UUID]*Annotation{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ResultID    uuid.UUID
		Fingerprint string
	}
	conn := d.Conn(ctx)
	if err := conn.Raw(`SELECT result_id, fingerprint FROM ibutsu_result_fingerprints WHERE result_id IN ?`, ids).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("result fingerprints: %w", err)
	}
	if len(rows) == 0 {
		return out, nil
	}
	have := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		out[r.ResultID] = &Annotation{Fingerprint: r.Fingerprint}
		have[i] = r.ResultID
	}
	// Known: the project had the fingerprint in another run before the
	// first result of it in this run — the rule of a run's clusters.
	var known []uuid.UUID
	if err := conn.Raw(`SELECT f.result_id FROM ibutsu_result_fingerprints f
		WHERE f.result_id IN ? AND EXISTS (
			SELECT 1 FROM ibutsu_result_fingerprints e
			WHERE e.project_id = f.project_id AND e.fingerprint = f.fingerprint
			AND (f.run_id IS NULL OR e.run_id IS NULL OR e.run_id <> f.run_id)
			AND e.start_time < COALESCE((SELECT MIN(s.start_time) FROM ibutsu_result_fingerprints s
				WHERE s.run_id = f.run_id AND s.fingerprint = f.fingerprint), f.start_time))`, have).
		Scan(&known).Error; err != nil {
		return nil, fmt.Errorf("fingerprints seen before: %w", err)
	}
	for _, id := range known {
		out[id].Known = true
	}
	var cls []struct {
		ResultID       uuid.UUID
		Classification string
		N              int
	}
	if err := conn.Raw(`SELECT f.result_id, c.classification, COUNT(*) AS n
		FROM ibutsu_result_fingerprints f
		JOIN ibutsu_fingerprint_classifications c
			ON c.project_id = f.project_id AND c.fingerprint = f.fingerprint AND c.result_id <> f.result_id
		WHERE f.result_id IN ?
		GROUP BY f.result_id, c.classification`, have).Scan(&cls).Error; err != nil {
		return nil, fmt.Errorf("suggested classifications: %w", err)
	}
	counts := map[uuid.UUID]map[string]int{}
	for _, c := range cls {
		if counts[c.ResultID] == nil {
			counts[c.ResultID] = map[string]int{}
		}
		counts[c.ResultID][c.Classification] += c.N
	}
	for id, m := range counts {
		out[id].Suggested, out[id].BasedOn = MostCommon(m)
	}
	return out, nil
}

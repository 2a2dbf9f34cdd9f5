package fingerprint

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestAnnotationsOneStatement pins the one-statement Annotations to the
// three queries it replaced (annotationsReference, kept here as the
// oracle) on both databases: fingerprints seen in an earlier run (known),
// only later or only in the same run (new), results without project or
// run, classification counts with ties, the result's own classification
// left out, and ids without fingerprint.
func TestAnnotationsOneStatement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := foldFixture{ruled: uuid.New(), plain: uuid.New(), ruledRun: uuid.New(), plainRun: uuid.New(), now: time.Now().UTC().Truncate(time.Second)}
		f.seed(t, d)
		batch := f.batch()
		if err := WithResults(ctx, d, batch, func(ctx context.Context) error { return d.Conn(ctx).Create(batch).Error }); err != nil {
			t.Fatal(err)
		}
		// A later run of the ruled project: trace x again (known from the
		// seed run), a trace only this run has twice (new), and an
		// earlier-started run with trace z (seen only in the batch, later).
		later, earlier := uuid.New(), uuid.New()
		testdb.Insert(t, d, &model.Run{ID: later, ProjectID: &f.ruled, StartTime: f.now.Add(time.Hour), Created: f.now},
			&model.Run{ID: earlier, ProjectID: &f.ruled, StartTime: f.now.Add(-2 * time.Hour), Created: f.now})
		var more []*model.Result
		for i, c := range []struct {
			run   uuid.UUID
			trace string
			n     int
			at    time.Duration
		}{{later, "x", 21, time.Hour}, {later, "w", 22, time.Hour}, {later, "w", 23, time.Hour + time.Second}, {earlier, "z", 24, -time.Minute}} {
			tb := foldTrace(c.trace, c.n)
			if c.trace == "w" {
				tb = "E   ValueError: only here\n\ntests/test_w.py:1: ValueError"
			}
			run := c.run
			more = append(more, &model.Result{ID: uuid.New(), ProjectID: &f.ruled, RunID: &run, TestID: model.Ptr(fmt.Sprint("more_", i)),
				Result: model.Ptr("failed"), StartTime: f.now.Add(c.at), Data: model.JSON{"short_tb": tb}})
		}
		if err := WithResults(ctx, d, more, func(ctx context.Context) error { return d.Conn(ctx).Create(more).Error }); err != nil {
			t.Fatal(err)
		}
		var ids []uuid.UUID
		if err := d.Conn(ctx).Model(&model.Result{}).Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, uuid.New()) // no such result
		want, err := annotationsReference(ctx, d, ids)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Annotations(ctx, d, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			for id, w := range want {
				t.Logf("%s: want %+v got %+v", id, *w, got[id])
			}
			t.Fatalf("%d annotations, want %d as the three queries give", len(got), len(want))
		}
		known, suggested := 0, 0
		for _, a := range got {
			if a.Known {
				known++
			}
			if a.Suggested != "" {
				suggested++
			}
		}
		if known == 0 || known == len(got) || suggested == 0 || suggested == len(got) {
			t.Fatalf("fixture too uniform: %d of %d known, %d suggested", known, len(got), suggested)
		}
		if _, ok := got[more[1].ID]; !ok || got[more[1].ID].Known {
			t.Errorf("a fingerprint only this run has: %+v, want new", got[more[1].ID])
		}

		// The suggestion is read for the results in suggest only (what
		// POST /api/result's answer of a classified failure leaves out);
		// the rest of every annotation is the same.
		for _, suggest := range [][]uuid.UUID{nil, ids[:len(ids)/2]} {
			asked := map[uuid.UUID]bool{}
			for _, id := range suggest {
				asked[id] = true
			}
			out := map[uuid.UUID]*Annotation{}
			if err := d.Lookups(ctx, AnnotationLookups(d.Dialect, ids, suggest, out)...); err != nil {
				t.Fatal(err)
			}
			wantSome, gotSome := 0, 0
			for id, w := range want {
				w := *w
				if !asked[id] {
					w.Suggested, w.BasedOn = "", 0
				}
				if w.Suggested != "" {
					wantSome++
				}
				if g := out[id]; g == nil || *g != w {
					t.Errorf("suggestion asked for %d results: %s is %+v, want %+v", len(suggest), id, g, w)
				} else if g.Suggested != "" {
					gotSome++
				}
			}
			if len(out) != len(want) {
				t.Errorf("suggestion asked for %d results: %d annotations, want %d", len(suggest), len(out), len(want))
			}
			if suggest != nil && (wantSome == 0 || wantSome == suggested) {
				t.Fatalf("fixture: %d of the asked half have a suggestion, of %d", wantSome, suggested)
			}
			t.Logf("suggestion asked for %d results: %d suggested", len(suggest), gotSome)
		}
	})
}

func annotationsReference(ctx context.Context, d *db.DB, ids []uuid.UUID) (map[uuid.UUID]*Annotation, error) {
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

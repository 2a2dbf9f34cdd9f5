package maintenance_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

func dialects(t *testing.T, fn func(t *testing.T, e *backendtest.Env)) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			fn(t, backendtest.New(t, backendtest.Options{SQLite: sqlite}))
		})
	}
}

func ago(days int) time.Time {
	return time.Now().UTC().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
}

func create(t *testing.T, e *backendtest.Env, rows ...any) {
	t.Helper()
	for _, r := range rows {
		if err := e.App.DB.Gorm.Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func exists(t *testing.T, e *backendtest.Env, table string, id uuid.UUID) bool {
	var n int64
	e.App.DB.Gorm.Table(table).Where("id = ?", id).Count(&n)
	return n == 1
}

func TestPrunes(t *testing.T) {
	dialects(t, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		up := e.App.Services.Upkeep
		oldRun := &model.Run{ID: uuid.New(), StartTime: ago(370), Created: ago(370)}
		youngRun := &model.Run{ID: uuid.New(), StartTime: ago(350), Created: ago(350)}
		// The FK trap: an old result of the old run with a young artifact.
		oldRes := &model.Result{ID: uuid.New(), RunID: &oldRun.ID, StartTime: ago(160)}
		youngRes := &model.Result{ID: uuid.New(), RunID: &youngRun.ID, StartTime: ago(140)}
		youngArt := &model.Artifact{ID: uuid.New(), ResultID: &oldRes.ID, Filename: model.Ptr("a"), UploadDate: ago(10)}
		oldArt := &model.Artifact{ID: uuid.New(), ResultID: &youngRes.ID, Filename: model.Ptr("b"), UploadDate: ago(100)}
		midArt := &model.Artifact{ID: uuid.New(), RunID: &youngRun.ID, Filename: model.Ptr("c"), UploadDate: ago(80)}
		oldImp := &model.Import{ID: uuid.New(), Created: ago(8)}
		youngImp := &model.Import{ID: uuid.New(), Created: ago(6)}
		chunked := &model.ImportFile{ID: uuid.New(), ImportID: oldImp.ID}
		create(t, e, oldRun, youngRun, oldRes, youngRes, youngArt, oldArt, midArt, oldImp, youngImp,
			&model.ImportFile{ID: uuid.New(), ImportID: oldImp.ID, Content: []byte("0123456789")}, chunked)
		for seq := range 2 {
			if err := e.App.DB.Gorm.Exec("INSERT INTO ibutsu_import_chunks (file_id, seq, data) VALUES (?, ?, ?)",
				chunked.ID, seq, []byte("chunk")).Error; err != nil {
				t.Fatal(err)
			}
		}

		steps := []struct {
			fn   func(context.Context, int) (string, error)
			arg  int
			want string
		}{
			{up.PruneImports, 0, "Skipped: days parameter (0) must be >= 1"},
			{up.PruneImports, 7, "Deleted 1 import records older than 7 days"},
			{up.PruneFiles, 1, "Skipped: months parameter (1) must be >= 2"},
			{up.PruneFiles, 3, "Deleted 1 artifacts older than 3 months"},
			{up.PruneResults, 3, "Skipped: months parameter (3) must be >= 4"},
			{up.PruneResults, 5, "Deleted 1 results older than 5 months"},
			{up.PruneRuns, 9, "Skipped: months parameter (9) must be >= 10"},
			{up.PruneRuns, 12, "Deleted 1 runs older than 12 months"},
		}
		for _, s := range steps {
			got, err := s.fn(ctx, s.arg)
			if err != nil || got != s.want {
				t.Fatalf("got %q %v, want %q", got, err, s.want)
			}
		}
		for table, ids := range map[string][2]uuid.UUID{
			"imports": {oldImp.ID, youngImp.ID}, "artifacts": {oldArt.ID, midArt.ID},
			"results": {oldRes.ID, youngRes.ID}, "runs": {oldRun.ID, youngRun.ID},
		} {
			if exists(t, e, table, ids[0]) || !exists(t, e, table, ids[1]) {
				t.Errorf("%s: old kept or young deleted", table)
			}
		}
		if exists(t, e, "artifacts", youngArt.ID) {
			t.Error("the old result's young artifact must go with it")
		}
		var files int64
		e.App.DB.Gorm.Table("import_files").Count(&files)
		if files != 0 {
			t.Error("import file of the pruned import kept")
		}
		var chunks int64
		e.App.DB.Gorm.Table("ibutsu_import_chunks").Count(&chunks)
		if chunks != 0 {
			t.Error("import chunks of the pruned import kept")
		}
	})
}

func TestPruneRunsInBatches(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	for i := 0; i < 2100; i++ {
		r := &model.Run{ID: uuid.New(), StartTime: ago(400), Created: ago(400)}
		res := &model.Result{ID: uuid.New(), RunID: &r.ID, StartTime: ago(10)}
		create(t, e, r, res)
	}
	got, err := e.App.Services.Upkeep.PruneRuns(context.Background(), 12)
	if err != nil || got != "Deleted 2100 runs older than 12 months" {
		t.Fatalf("%q %v", got, err)
	}
}

func TestSyncAbortedRuns(t *testing.T) {
	dialects(t, func(t *testing.T, e *backendtest.Env) {
		now := time.Now().UTC()
		mk := func(start time.Duration, summary model.JSON, results int) uuid.UUID {
			r := &model.Run{ID: uuid.New(), StartTime: now.Add(-start), Created: now, Summary: summary}
			create(t, e, r)
			for i := 0; i < results; i++ {
				create(t, e, &model.Result{ID: uuid.New(), RunID: &r.ID, StartTime: now})
			}
			return r.ID
		}
		s1 := mk(30*time.Minute, model.JSON{"tests": 10, "collected": 10}, 5)
		mk(4*time.Hour, model.JSON{"tests": 10}, 5)
		mk(time.Hour, nil, 0)
		s4 := mk(time.Hour, nil, 2)
		mk(time.Hour, model.JSON{"tests": 3}, 3)
		n, err := e.App.Services.Upkeep.SyncAbortedRuns(context.Background())
		if err != nil || n != 2 {
			t.Fatalf("queued %d %v, want 2", n, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var r1, r4 model.Run
			e.App.DB.Gorm.Where("id = ?", s1).Take(&r1)
			e.App.DB.Gorm.Where("id = ?", s4).Take(&r4)
			if r1.Summary["tests"] == float64(5) && r1.Summary["not_run"] == float64(5) && r4.Summary["tests"] == float64(2) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("summaries not repaired: %v %v", r1.Summary, r4.Summary)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

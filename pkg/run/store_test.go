package run

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

var quiet = slog.New(slog.DiscardHandler)

// fixture is two projects, a member of the first, and in each a run with
// one result.
type fixture struct {
	testdb.Tenants
	myRun, theirRun *model.Run
	myResult        *model.Result
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{Tenants: testdb.NewTenants(t, d)}
	now := time.Now().UTC().Truncate(time.Second)
	f.myRun = &model.Run{ID: uuid.New(), ProjectID: &f.Mine, StartTime: now, Created: now, Data: model.JSON{"env": "qa"}, Env: model.Ptr("qa")}
	f.theirRun = &model.Run{ID: uuid.New(), ProjectID: &f.Theirs, StartTime: now.Add(time.Second), Created: now, Data: model.JSON{"env": "prod"}, Env: model.Ptr("prod")}
	f.myResult = &model.Result{ID: uuid.New(), ProjectID: &f.Mine, RunID: &f.myRun.ID, StartTime: now, Data: model.JSON{}}
	theirResult := &model.Result{ID: uuid.New(), ProjectID: &f.Theirs, RunID: &f.theirRun.ID, StartTime: now, Data: model.JSON{}}
	testdb.Insert(t, d, f.myRun, f.theirRun, f.myResult, theirResult)
	return f
}

func newTestService(d *db.DB) *Service {
	return NewService(d, project.NewStore(d), NewSummarizer(d, nil, quiet), quiet)
}

func reloadRun(t *testing.T, d *db.DB, id uuid.UUID) *model.Run {
	return testdb.Reload[model.Run](t, d, id)
}

func TestStoreGetCreateAndResultProjects(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		if r, err := s.get(ctx, f.myRun.ID); err != nil || *r.Env != "qa" {
			t.Fatalf("get = %+v, %v", r, err)
		}
		if _, err := s.get(ctx, uuid.New()); !errors.Is(err, ErrNotFound) {
			t.Errorf("get unknown: %v, want ErrNotFound", err)
		}
		if err := d.WithTx(ctx, func(ctx context.Context) error {
			_, err := s.getForUpdate(ctx, f.theirRun.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		fresh := &model.Run{ID: uuid.New(), ProjectID: &f.Mine, StartTime: now, Created: now, Data: model.JSON{}}
		if err := s.create(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		if err := s.create(ctx, fresh); err == nil {
			t.Error("create of an existing id succeeded")
		} else if d.Dialect == db.Postgres && !errors.Is(err, errDuplicate) {
			t.Errorf("create of an existing id on PostgreSQL: %v, want errDuplicate", err)
		}
		ps, err := s.resultProjects(ctx, f.myRun.ID)
		if err != nil || len(ps) != 1 || ps[0] != f.Mine {
			t.Errorf("resultProjects = %v, %v; want [mine]", ps, err)
		}
	})
}

func TestStoreSaveMovesResults(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		r := reloadRun(t, d, f.myRun.ID)
		r.ProjectID = &f.Theirs
		if err := d.WithTx(ctx, func(ctx context.Context) error { return s.save(ctx, r, true) }); err != nil {
			t.Fatal(err)
		}
		var res model.Result
		if err := d.Conn(ctx).Where("id = ?", f.myResult.ID).Take(&res).Error; err != nil {
			t.Fatal(err)
		}
		if *res.ProjectID != f.Theirs || *reloadRun(t, d, f.myRun.ID).ProjectID != f.Theirs {
			t.Errorf("after a move: run in %s, result in %s; want both in theirs", *reloadRun(t, d, f.myRun.ID).ProjectID, *res.ProjectID)
		}
	})
}

func TestStoreRelockDropsDeletedRuns(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		ghost := model.Run{ID: uuid.New()}
		stale := *f.myRun
		stale.Data = model.JSON{"stale": true}
		err := d.WithTx(ctx, func(ctx context.Context) error {
			out, err := s.relock(ctx, []model.Run{stale, ghost})
			if err == nil && (len(out) != 1 || out[0].ID != f.myRun.ID || out[0].Data["stale"] != nil) {
				t.Errorf("relock = %+v; want the committed state of the existing run only", out)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestListIsScoped(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		views, info, err := newTestService(d).List(ctx, f.Member, result.ListParams{Page: 1, PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		if info.Total != 1 || len(views) != 1 || views[0].ID != f.myRun.ID.String() {
			t.Errorf("member's runs: total %d, %+v; want only their own run", info.Total, views)
		}
	})
}

// TestUpdateForeignRunChangesNothing: PUT of another project's run, and
// moving one's own run into another project, are 403s that leave the runs
// and their results where they were.
func TestUpdateForeignRunChangesNothing(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := newTestService(d)
		_, err := svc.Update(ctx, f.Member, f.theirRun.ID, UpdateRequest{Metadata: map[string]any{"hacked": true}})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("Update of a foreign run: %v, want forbidden", err)
		}
		if got := reloadRun(t, d, f.theirRun.ID); got.Data["hacked"] != nil {
			t.Errorf("foreign run changed: %v", got.Data)
		}
		theirs := f.Theirs.String()
		_, err = svc.Update(ctx, f.Member, f.myRun.ID, UpdateRequest{ProjectID: &theirs})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("moving a run into a foreign project: %v, want forbidden", err)
		}
		if got := reloadRun(t, d, f.myRun.ID); *got.ProjectID != f.Mine {
			t.Errorf("run moved to %s", *got.ProjectID)
		}
		var res model.Result
		if err := d.Conn(ctx).Where("id = ?", f.myResult.ID).Take(&res).Error; err != nil || *res.ProjectID != f.Mine {
			t.Errorf("result moved: %v %v", res.ProjectID, err)
		}
	})
}

// TestBulkUpdateSkipsForeignRuns: a filter matching every run only reaches
// the caller's own; the foreign run's metadata is untouched.
func TestBulkUpdateSkipsForeignRuns(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		runs, err := newTestService(d).BulkUpdate(ctx, f.Member, []string{"env*qa;prod"}, 25, map[string]any{"tag": "x"})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].ID != f.myRun.ID {
			t.Errorf("bulk update touched %d runs", len(runs))
		}
		if got := reloadRun(t, d, f.theirRun.ID); got.Data["tag"] != nil {
			t.Errorf("foreign run changed: %v", got.Data)
		}
		if got := reloadRun(t, d, f.myRun.ID); got.Data["tag"] != "x" {
			t.Errorf("own run not updated: %v", got.Data)
		}
	})
}

func TestRecomputeFromStore(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		s := store{db: d}
		later := f.myResult.StartTime.Add(time.Minute)
		failed := &model.Result{ID: uuid.New(), ProjectID: &f.Mine, RunID: &f.myRun.ID, StartTime: later, Result: model.Ptr("failed"),
			Duration: model.Ptr(2.5), Data: model.JSON{}}
		if err := d.Conn(ctx).Create(failed).Error; err != nil {
			t.Fatal(err)
		}
		c, err := s.resultCounts(ctx, f.myRun.ID)
		if err != nil || c.Tests != 2 || c.Failures != 1 || c.Duration != 2.5 {
			t.Errorf("resultCounts = %+v, %v", c, err)
		}
		first, err := s.firstResult(ctx, f.myRun.ID)
		if err != nil || first == nil || first.ID != f.myResult.ID {
			t.Errorf("firstResult = %v, %v; want the earliest", first, err)
		}
		if none, err := s.firstResult(ctx, uuid.New()); err != nil || none != nil {
			t.Errorf("firstResult of an unknown run = %v, %v", none, err)
		}
		if err := NewSummarizer(d, nil, quiet).Recompute(ctx, f.myRun.ID); err != nil {
			t.Fatal(err)
		}
		got := reloadRun(t, d, f.myRun.ID)
		if tests, _ := got.Summary["tests"].(float64); tests != 2 || got.Duration == nil || *got.Duration != 2.5 {
			t.Errorf("after Recompute: summary %v duration %v", got.Summary, got.Duration)
		}
		if err := NewSummarizer(d, nil, quiet).Recompute(ctx, uuid.New()); err != nil {
			t.Errorf("Recompute of a missing run: %v", err)
		}
	})
}

// Readable is the read rule of GET /api/run/{id}: the member's own run,
// ErrNotFound for an unknown one, forbidden for another project's.
func TestReadable(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		svc := newTestService(d)
		testdb.ReadRule[model.Run]{What: "run", Read: svc.Readable, ID: func(r *model.Run) uuid.UUID { return r.ID },
			Caller: f.Member, Own: f.myRun.ID, Foreign: f.theirRun.ID, NotFound: ErrNotFound}.Check(ctx, t)
	})
}

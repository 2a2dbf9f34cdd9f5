package query

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

var quiet = slog.New(slog.DiscardHandler)

// wait polls Lookup until the task leaves pending/started.
func wait(t *testing.T, s *Service, u *model.User, id string) Answer {
	t.Helper()
	tid := uuid.MustParse(id)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		a, err := s.Lookup(context.Background(), u, tid)
		if err != nil {
			t.Fatal(err)
		}
		if a.State == queue.StateSuccess || a.State == queue.StateFailure {
			return a
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("query task did not finish")
	return Answer{}
}

// TestQueryTaskIsScopedAndPrivate: a query task lists only the submitter's
// projects' rows, and its result is shown to the submitter and superadmins
// only (anyone else is told "pending", as for an unknown id).
func TestQueryTaskIsScopedAndPrivate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mine, theirs := uuid.New(), uuid.New()
		owner := &model.User{ID: uuid.New(), Email: "owner@example.com", IsActive: true}
		other := &model.User{ID: uuid.New(), Email: "other@example.com", IsActive: true}
		admin := &model.User{ID: uuid.New(), Email: "admin@example.com", IsActive: true, IsSuperadmin: true}
		now := time.Now().UTC().Truncate(time.Second)
		mineRes := &model.Result{ID: uuid.New(), ProjectID: &mine, StartTime: now, Data: model.JSON{}}
		testdb.Insert(t, d, &model.Project{ID: mine, Name: model.Ptr("mine")}, &model.Project{ID: theirs, Name: model.Ptr("theirs")},
			owner, other, admin, &model.UserProject{UserID: owner.ID, ProjectID: mine}, &model.UserProject{UserID: other.ID, ProjectID: mine},
			mineRes, &model.Result{ID: uuid.New(), ProjectID: &theirs, StartTime: now, Data: model.JSON{}})
		projects := project.NewStore(d)
		results := result.NewService(d, projects, nil, quiet)
		t.Cleanup(results.Close)
		runs := run.NewService(d, projects, run.NewSummarizer(d, nil, quiet), quiet)
		reg := queue.NewRegistry()
		q := queue.NewLocalQueue(reg, 1, quiet)
		t.Cleanup(func() { _ = q.Close() })
		s := NewService(q, user.NewStore(d), results, runs, time.Hour, quiet)
		s.Register(reg)

		id, err := s.Submit(ctx, "results", owner, result.ListParams{Page: 1, PageSize: 5000})
		if err != nil {
			t.Fatal(err)
		}
		a := wait(t, s, owner, id)
		if a.State != queue.StateSuccess {
			t.Fatalf("task state %s, error %v", a.State, a.Error)
		}
		rows, _ := a.Body["results"].([]any)
		pag, _ := a.Body["pagination"].(map[string]any)
		if len(rows) != 1 || rows[0].(map[string]any)["id"] != mineRes.ID.String() || pag["totalItems"] != float64(1) || pag["pageSize"] != float64(5000) {
			t.Errorf("owner's answer: %v", a.Body)
		}
		if got, err := s.Lookup(ctx, other, uuid.MustParse(id)); err != nil || got.State != queue.StatePending || got.Body != nil {
			t.Errorf("another member sees %+v, %v; want pending without a body", got, err)
		}
		if got, err := s.Lookup(ctx, admin, uuid.MustParse(id)); err != nil || got.State != queue.StateSuccess || got.Body == nil {
			t.Errorf("superadmin sees %+v, %v", got, err)
		}
		if _, err := s.Submit(ctx, "results", owner, result.ListParams{Sort: "no_such_field", Page: 1, PageSize: 5000}); err == nil {
			t.Error("a bad sort was submitted instead of refused")
		}
	})
}

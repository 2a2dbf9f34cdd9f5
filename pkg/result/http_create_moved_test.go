package result_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// On SQLite (the embedded mode), a result posted into a run that PUT /run
// moves to another project after the POST's run check and before its
// insert (the move is made there, through the API: SetAfterRunCheck): the
// insert's transaction reads the run's project again and writes nothing
// (fingerprint.ErrRunMoved), and the answer is the one a result posted into
// the run now gets: 403 for a member of the old project only, 400 for a
// member of both. No result of the old project is left in the moved run,
// and the run's summary, recomputed, counts none. A passed result and a
// failure. TestCreateIntoARunBeingMoved is the PostgreSQL side.
func TestPostIntoARunMovedAfterItsCheck(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	ctx := context.Background()
	from := e.CreateProject("old", e.User)
	both := e.CreateUser("both@example.com", "both-password", false)
	if err := e.App.Services.Projects.AddMembers(ctx, from.ID, both.ID); err != nil {
		t.Fatal(err)
	}
	to := e.CreateProject("new", both)
	svc := e.App.Services.Results
	for _, c := range []struct {
		name, outcome, token string
		code                 int
		message              string
	}{
		{"member, passed", "passed", e.UserToken, 403, "Forbidden"},
		{"member, failed", "failed", e.UserToken, 403, "Forbidden"},
		{"both, passed", "passed", e.TokenFor(both), 400, "Bad request, run %s belongs to another project than the result"},
		{"both, failed", "failed", e.TokenFor(both), 400, "Bad request, run %s belongs to another project than the result"},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := uuid.New()
			testdb.Insert(t, e.App.DB, &model.Run{ID: run, ProjectID: &from.ID, Data: model.JSON{}, Summary: model.JSON{}})
			moves := 0
			result.SetAfterRunCheck(svc, func(context.Context) {
				moves++
				r := e.Do("PUT", "/api/run/"+run.String(), map[string]any{"metadata": map[string]any{"project": to.ID.String()}}, e.AdminToken)
				if r.Code != 200 {
					t.Errorf("PUT /run: %d %s", r.Code, r.Body)
				}
			})
			defer result.SetAfterRunCheck(svc, nil)
			md := map[string]any{"project": from.ID.String(), "run": run.String()}
			if c.outcome == "failed" {
				md["short_tb"] = "E   assert 1 == 2\n\ntests/test_math.py:1: AssertionError"
			}
			r := e.Do("POST", "/api/result", map[string]any{"test_id": "t.moved", "result": c.outcome, "metadata": md}, c.token)
			var msg string
			if r.Code == c.code {
				r.JSON(&msg)
			}
			if want := strings.ReplaceAll(c.message, "%s", run.String()); r.Code != c.code || msg != want || moves != 1 {
				t.Errorf("POST /result: %d %s after %d moves, want %d %q after one", r.Code, r.Body, moves, c.code, want)
			}
			if n := testdb.Count(t, e.App.DB, "results", "run_id = ?", run); n != 0 {
				t.Errorf("%d results written into the moved run", n)
			}
			if err := e.App.Services.Summaries.Recompute(ctx, run); err != nil {
				t.Fatal(err)
			}
			got := testdb.Reload[model.Run](t, e.App.DB, run)
			if got.ProjectID == nil || *got.ProjectID != to.ID || fmt.Sprint(got.Summary["tests"]) != "0" {
				t.Errorf("run after the move: project %v (want %s), summary %v (want no tests)", got.ProjectID, to.ID, got.Summary)
			}
		})
	}
}

// On SQLite, PUT /result moving a result into a run while PUT /run moves
// that run to another project: the update's check and save are one write
// transaction (IMMEDIATE, on the one connection), so the move, started
// between the two (SetAfterRunCheck), cannot commit in between. It waits
// for the connection (sql.DBStats.WaitCount, polled: nothing sleeps to
// decide the order), then carries the result, now in the run, along: the
// result ends in its run's project, never in the old one beside it.
func TestPutIntoARunMovedMeanwhile(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{SQLite: true})
	from, to := e.CreateProject("old", e.User), e.CreateProject("new", e.Admin)
	runFrom, into, res := uuid.New(), uuid.New(), uuid.New()
	testdb.Insert(t, e.App.DB, &model.Run{ID: runFrom, ProjectID: &from.ID, Data: model.JSON{}, Summary: model.JSON{}},
		&model.Run{ID: into, ProjectID: &from.ID, Data: model.JSON{}, Summary: model.JSON{}},
		&model.Result{ID: res, ProjectID: &from.ID, RunID: &runFrom, Data: model.JSON{}, Params: model.JSON{}})
	svc := e.App.Services.Results
	moved := make(chan *backendtest.Response, 1)
	result.SetAfterRunCheck(svc, func(context.Context) {
		waits := e.App.DB.SQL.Stats().WaitCount
		go func() {
			moved <- e.Do("PUT", "/api/run/"+into.String(), map[string]any{"metadata": map[string]any{"project": to.ID.String()}}, e.AdminToken)
		}()
		for deadline := time.Now().Add(20 * time.Second); e.App.DB.SQL.Stats().WaitCount == waits && len(moved) == 0; {
			if time.Now().After(deadline) {
				t.Error("the move neither waited for the connection nor finished")
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	defer result.SetAfterRunCheck(svc, nil)
	r := e.Do("PUT", "/api/result/"+res.String(), map[string]any{"run_id": into.String()}, e.UserToken)
	if r.Code != 200 {
		t.Errorf("PUT /result: %d %s", r.Code, r.Body)
	}
	if m := <-moved; m.Code != 200 {
		t.Errorf("PUT /run: %d %s", m.Code, m.Body)
	}
	got := testdb.Reload[model.Result](t, e.App.DB, res)
	if got.RunID == nil || *got.RunID != into || got.ProjectID == nil || *got.ProjectID != to.ID {
		t.Errorf("result in run %v, project %v; want run %s and its project %s", got.RunID, got.ProjectID, into, to.ID)
	}
}

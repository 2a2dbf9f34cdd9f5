package backend_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// TestRehomeUnassignedRun: a run without project (an import without one,
// or a run whose project was deleted) is found by a superadmin with the
// filter project_id@n, as the UI's "Unassigned runs" page lists them, and
// moved into a project with PUT /api/run/{id} {project_id}; its results
// without project follow it. A member cannot see or move it (not even into
// their own project), an unknown project id is refused, and a refused move
// leaves every row where it was.
func TestRehomeUnassignedRun(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		t.Run(map[bool]string{false: "postgres", true: "sqlite"}[sqlite], func(t *testing.T) {
			e := newIWEnv(t, sqlite)
			db := e.App.DB.Gorm
			orphanResult := uuid.New()
			now := time.Now().UTC()
			if err := db.Create(&model.Result{ID: orphanResult, RunID: &e.orphanRun, StartTime: now, Data: model.JSON{}, Params: model.JSON{}}).Error; err != nil {
				t.Fatal(err)
			}
			projectOf := func(table string, id uuid.UUID) string {
				t.Helper()
				var row struct{ ProjectID *uuid.UUID }
				if err := db.Table(table).Select("project_id").Where("id = ?", id).Take(&row).Error; err != nil {
					t.Fatal(err)
				}
				return fmtID(row.ProjectID)
			}
			unchanged := func(what string) {
				t.Helper()
				if p, q := projectOf("runs", e.orphanRun), projectOf("results", orphanResult); p != fmtID(nil) || q != fmtID(nil) {
					t.Errorf("%s moved rows: run in %s, result in %s", what, p, q)
				}
			}
			listed := func(token string) []string {
				t.Helper()
				r := e.Do("GET", "/api/run?filter=project_id@n&pageSize=50", nil, token)
				if r.Code != 200 {
					return nil
				}
				var body struct{ Runs []struct{ ID string } }
				r.JSON(&body)
				ids := []string{}
				for _, x := range body.Runs {
					ids = append(ids, x.ID)
				}
				return ids
			}

			if got := listed(e.AdminToken); len(got) != 1 || got[0] != e.orphanRun.String() {
				t.Errorf("superadmin's unassigned runs = %v, want [%s]", got, e.orphanRun)
			}
			for _, id := range listed(e.UserToken) {
				if id == e.orphanRun.String() {
					t.Error("a member lists the unassigned run")
				}
			}

			path := "/api/run/" + e.orphanRun.String()
			// A member may not take it, not even into their own project.
			if r := e.Do("PUT", path, map[string]any{"project_id": e.m.ID.String()}, e.UserToken); r.Code != 403 {
				t.Errorf("member re-homes an unassigned run: %d %s", r.Code, r.Body)
			}
			unchanged("the member's PUT")
			// An unknown project id is a client error, not a move.
			if r := e.Do("PUT", path, map[string]any{"project_id": uuid.NewString()}, e.AdminToken); r.Code < 400 || r.Code >= 500 {
				t.Errorf("re-home into an unknown project: %d %s", r.Code, r.Body)
			}
			unchanged("the PUT naming an unknown project")

			// The superadmin re-homes it: run and result are in A, and no longer unassigned.
			if r := e.Do("PUT", path, map[string]any{"project_id": e.a.ID.String()}, e.AdminToken); r.Code != 200 {
				t.Fatalf("superadmin re-homes the run: %d %s", r.Code, r.Body)
			}
			if p, q := projectOf("runs", e.orphanRun), projectOf("results", orphanResult); p != e.a.ID.String() || q != e.a.ID.String() {
				t.Errorf("after re-homing: run in %s, result in %s, want %s", p, q, e.a.ID)
			}
			if got := listed(e.AdminToken); len(got) != 0 {
				t.Errorf("still unassigned: %v", got)
			}
			// Now it is A's: the member (not in A) still cannot move it into M.
			if r := e.Do("PUT", path, map[string]any{"project_id": e.m.ID.String()}, e.UserToken); r.Code != 403 || projectOf("runs", e.orphanRun) != e.a.ID.String() {
				t.Errorf("member moves A's run into M: %d %s", r.Code, r.Body)
			}
		})
	}
}

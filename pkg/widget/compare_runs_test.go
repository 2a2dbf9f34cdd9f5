package widget_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// seq is a deterministic result id: ids sort in creation order on both
// databases, so upstream's "fspath, id" order is predictable.
func seq(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

// res inserts a result of run with a test id, outcome and duration.
func (e *env) res(n int, run *model.Run, start time.Time, component, testID, outcome string, dur float64) string {
	e.t.Helper()
	r := &model.Result{ID: seq(n), ProjectID: run.ProjectID, RunID: &run.ID, TestID: &testID, Result: &outcome, Duration: &dur,
		StartTime: start.UTC(), Component: &component, Data: map[string]any{"fspath": "tests/test_x.py"}}
	if err := e.App.DB.Conn(context.Background()).Create(r).Error; err != nil {
		e.t.Fatal(err)
	}
	return r.ID.String()
}

func TestCompareRuns(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		T := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		base := e.run(T, "X", nil, nil)
		target := e.run(T.Add(time.Hour), "Y", nil, nil)
		n := 0
		// insert adds results to run, in order, and maps their test ids to
		// the new result ids.
		type row struct {
			id, outcome string
			dur         float64
		}
		insert := func(run *model.Run, start time.Time, component string, rows ...row) map[string]string {
			ids := map[string]string{}
			for _, r := range rows {
				n++
				ids[r.id] = e.res(n, run, start, component, r.id, r.outcome, r.dur)
			}
			return ids
		}
		b := insert(base, T, "X", row{"t_a", "passed", 1}, row{"t_b", "failed", 2}, row{"t_c", "error", 1}, row{"t_d", "passed", 1},
			row{"t_e", "skipped", 0}, row{"t_g", "failed", 1}, row{"t_h", "passed", 3}, row{"t_i", "passed", 1})
		n++
		cOld := e.res(n, target, T.Add(time.Hour), "Y", "t_c", "passed", 1) // older duplicate: ignored by the diff
		tg := insert(target, T.Add(time.Hour+time.Minute), "Y", row{"t_a", "failed", 1.2}, row{"t_b", "passed", 2}, row{"t_c", "failed", 1},
			row{"t_d", "passed", 5}, row{"t_e", "failed", 0}, row{"t_f", "error", 0.5}, row{"t_g", "skipped", 1}, row{"t_h", "passed", 1.5})
		// t_a is a flaky test of the project (docs/triage.md#flaky-tests):
		// its items say so; t_f is flaky in another project only.
		other := uuid.New()
		if err := e.App.DB.Conn(context.Background()).Create(&model.Project{ID: other, Name: model.Ptr("other")}).Error; err != nil {
			t.Fatal(err)
		}
		for p, test := range map[uuid.UUID]string{e.project: "t_a", other: "t_f"} {
			if err := e.App.DB.Conn(context.Background()).Create(&flaky.TestRow{ID: uuid.New(), ProjectID: p, TestID: test, Component: "Y",
				Score: 1, Retries: 1, Runs: 1, FirstFlake: T, LastFlake: T, DetectedAt: T, UpdatedAt: T}).Error; err != nil {
				t.Fatal(err)
			}
		}
		item := func(id, bres, tres string) string {
			flaky := id == "t_a"
			if bres == "" {
				return fmt.Sprintf(`{"test_id":%q,"base_result":null,"target_result":%q,"base_result_id":null,"target_result_id":%q,"flaky":%v}`, id, tres, tg[id], flaky)
			}
			return fmt.Sprintf(`{"test_id":%q,"base_result":%q,"target_result":%q,"base_result_id":%q,"target_result_id":%q,"flaky":%v}`, id, bres, tres, b[id], tg[id], flaky)
		}
		dur := func(id string, bd, td, d float64) string {
			return fmt.Sprintf(`{"test_id":%q,"base_duration":%v,"target_duration":%v,"delta":%v,"base_result_id":%q,"target_result_id":%q}`, id, bd, td, d, b[id], tg[id])
		}
		runRef := func(r *model.Run) string {
			return fmt.Sprintf(`{"id":%q,"project_id":%q,"start_time":%q}`, r.ID, e.project, model.FormatTime(r.StartTime))
		}
		want := fmt.Sprintf(`{"base_run":%s,"target_run":%s,
			"new_failures":[%s,%s,%s],"fixed":[%s],"still_failing":[%s],
			"duration_changes":[%s,%s],
			"counts":{"base_total":8,"target_total":9,"new_failures":3,"fixed":1,"still_failing":1,"duration_changes":2,"flaky_tests":1}}`,
			runRef(base), runRef(target),
			item("t_a", "passed", "failed"), item("t_e", "skipped", "failed"), item("t_f", "", "error"),
			item("t_b", "failed", "passed"), item("t_c", "error", "failed"),
			dur("t_d", 1, 5, 4), dur("t_h", 3, 1.5, -1.5))
		ours := func(got map[string]any) []byte {
			m := map[string]any{}
			for _, k := range []string{"base_run", "target_run", "new_failures", "fixed", "still_failing", "duration_changes", "counts"} {
				m[k] = got[k]
			}
			return mustJSON(m)
		}
		pairIDs := func(got map[string]any) [][2]string {
			var out [][2]string
			for _, p := range got["results"].([]any) {
				pp := p.([]any)
				out = append(out, [2]string{pp[0].(map[string]any)["id"].(string), pp[1].(map[string]any)["id"].(string)})
			}
			return out
		}
		wantPairs := fmt.Sprint([][2]string{{b["t_a"], tg["t_a"]}, {b["t_b"], tg["t_b"]}, {b["t_c"], cOld}, {b["t_e"], tg["t_e"]}, {b["t_g"], tg["t_g"]}})

		// Upstream's way: the latest run of each filter set.
		byFilter := "/api/widget/compare-runs-view?additional_filters=component=X&additional_filters=component=Y"
		got := obj(t, e.call("GET", byFilter, nil, e.UserToken, 200))
		jsonEq(t, ours(got), want)
		if p := fmt.Sprint(pairIDs(got)); p != wantPairs {
			t.Fatalf("pairs %s\nwant  %s", p, wantPairs)
		}
		jsonEq(t, mustJSON(got["pagination"]), `{"totalItems":5}`)
		// The legacy name `filters` and project scoping.
		got = obj(t, e.call("GET", "/api/widget/compare-runs-view?filters=component=X&filters=component=Y&project="+e.project.String(), nil, e.UserToken, 200))
		jsonEq(t, ours(got), want)

		// Explicit runs.
		explicit := "/api/widget/compare-runs-view?base_run=" + base.ID.String() + "&target_run=" + target.ID.String()
		got = obj(t, e.call("GET", explicit, nil, e.UserToken, 200))
		jsonEq(t, ours(got), want)
		if p := fmt.Sprint(pairIDs(got)); p != wantPairs {
			t.Fatalf("explicit pairs %s", p)
		}
		got = obj(t, e.call("GET", explicit+"&duration_threshold=2", nil, e.UserToken, 200))
		jsonEq(t, mustJSON(got["duration_changes"]), "["+dur("t_d", 1, 5, 4)+"]")
		jsonEq(t, mustJSON(got["counts"]), `{"base_total":8,"target_total":9,"new_failures":3,"fixed":1,"still_failing":1,"duration_changes":1,"flaky_tests":1}`)

		// Reversed: what failed in the old target and passes in base is fixed.
		got = obj(t, e.call("GET", "/api/widget/compare-runs-view?base_run="+target.ID.String()+"&target_run="+base.ID.String(), nil, e.UserToken, 200))
		jsonEq(t, mustJSON(got["counts"]), `{"base_total":9,"target_total":8,"new_failures":2,"fixed":1,"still_failing":1,"duration_changes":2,"flaky_tests":1}`)

		// Access: the outsider may read neither run (by filters they find
		// none: widgets only search the caller's projects); a run of a
		// foreign project is refused even to a member of the other one.
		e.call("GET", explicit, nil, e.outsider, 403)
		if got := obj(t, e.call("GET", byFilter, nil, e.outsider, 200)); got["base_run"] != nil || len(got["results"].([]any)) != 0 {
			t.Fatalf("outsider by filters: %v", got)
		}
		foreign := e.run(T, "", nil, nil, func(r *model.Run) { r.ProjectID = &other })
		e.call("GET", "/api/widget/compare-runs-view?base_run="+base.ID.String()+"&target_run="+foreign.ID.String(), nil, e.UserToken, 403)
		got = obj(t, e.call("GET", "/api/widget/compare-runs-view?base_run="+base.ID.String()+"&target_run="+foreign.ID.String(), nil, e.AdminToken, 200))
		jsonEq(t, mustJSON(got["counts"]), `{"base_total":8,"target_total":0,"new_failures":0,"fixed":0,"still_failing":0,"duration_changes":0,"flaky_tests":0}`)

		// Argument errors and the empty reply.
		e.call("GET", "/api/widget/compare-runs-view?base_run="+base.ID.String(), nil, e.UserToken, 400)
		e.call("GET", "/api/widget/compare-runs-view?base_run=x&target_run=y", nil, e.UserToken, 400)
		e.call("GET", "/api/widget/compare-runs-view?base_run="+base.ID.String()+"&target_run="+uuid.NewString(), nil, e.UserToken, 404)
		e.call("GET", "/api/widget/compare-runs-view?additional_filters=component=X", nil, e.UserToken, 400)
		e.call("GET", explicit+"&duration_threshold=-1", nil, e.UserToken, 400)
		got = obj(t, e.call("GET", "/api/widget/compare-runs-view", nil, e.UserToken, 200))
		jsonEq(t, mustJSON(map[string]any{"results": got["results"], "pagination": got["pagination"], "counts": got["counts"]}),
			`{"results":[],"pagination":{"totalItems":0},"counts":{"base_total":0,"target_total":0,"new_failures":0,"fixed":0,"still_failing":0,"duration_changes":0,"flaky_tests":0}}`)
		got = obj(t, e.call("GET", "/api/widget/compare-runs-view?additional_filters=component=nope&additional_filters=component=Y", nil, e.UserToken, 200))
		jsonEq(t, mustJSON(got["pagination"]), `{"totalItems":0}`)
	})
}

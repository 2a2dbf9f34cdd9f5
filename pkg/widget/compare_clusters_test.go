package widget_test

import (
	"context"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// The comparison per failure cluster: a fingerprint in both runs is still
// failing (and flaky when one of its tests passed in the other run), one
// only in the target is new, one only in the base fixed.
func TestCompareRunsClusters(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		T := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		base := e.run(T, "X", nil, nil)
		target := e.run(T.Add(time.Hour), "Y", nil, nil)
		traces := map[string]string{
			"F1": "E   ConnectionError: backend 10.0.0.7 refused\n\nt.py:3: ConnectionError",
			"F2": "E   KeyError: 'user'\n\nt.py:9: KeyError",
			"F3": "E   assert 1 == 2\n\nt.py:12: AssertionError",
		}
		n := 100
		add := func(run *model.Run, test, outcome, fp string) {
			n++
			id := e.res(n, run, run.StartTime, "", test, outcome, 1)
			if fp == "" {
				return
			}
			var r model.Result
			db := e.App.DB
			if err := db.Conn(context.Background()).Where("id = ?", id).Take(&r).Error; err != nil {
				t.Fatal(err)
			}
			r.Data["short_tb"] = traces[fp]
			if err := db.Conn(context.Background()).Model(&r).Update("data", r.Data).Error; err != nil {
				t.Fatal(err)
			}
			if err := fingerprint.Record(context.Background(), db, []*model.Result{&r}); err != nil {
				t.Fatal(err)
			}
		}
		add(base, "t1", "failed", "F1")
		add(base, "t2", "failed", "F1")
		add(base, "t3", "failed", "F2")
		add(base, "t4", "passed", "")
		add(target, "t1", "failed", "F1")
		add(target, "t2", "passed", "")
		add(target, "t4", "failed", "F3")
		got := obj(t, e.call("GET", "/api/widget/compare-runs-view?base_run="+base.ID.String()+"&target_run="+target.ID.String(), nil, e.UserToken, 200))
		cl := got["clusters"].(map[string]any)
		jsonEq(t, mustJSON(cl["counts"]), `{"new":1,"fixed":1,"still_failing":1,"flaky":1}`)
		item := func(list string) map[string]any { return cl[list].([]any)[0].(map[string]any) }
		still := item("still_failing")
		if still["exception"] != "ConnectionError" || still["base_count"] != float64(2) || still["target_count"] != float64(1) || still["flaky"] != true {
			t.Errorf("still failing: %v", still)
		}
		jsonEq(t, mustJSON(still["test_ids"]), `["t1","t2"]`)
		if item("flaky")["fingerprint"] != still["fingerprint"] {
			t.Errorf("flaky: %v", cl["flaky"])
		}
		if f := item("fixed"); f["exception"] != "KeyError" || f["target_count"] != float64(0) || f["flaky"] != false {
			t.Errorf("fixed: %v", f)
		}
		if nw := item("new"); nw["exception"] != "AssertionError" || nw["base_count"] != float64(0) || nw["flaky"] != false || nw["message"] != "assert <n> == <n>" {
			t.Errorf("new: %v", nw)
		}
	})
}

package widget_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

func jenkins(job, build string) map[string]any {
	return map[string]any{"jenkins": map[string]any{"job_name": job, "build_number": build}}
}

func sum6(tests, failures, errors, skips float64) map[string]any {
	return map[string]any{"tests": tests, "failures": failures, "errors": errors, "skips": skips, "xpasses": 0, "xfailures": 0}
}

// FX-14.
func TestResultSummary(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		now := time.Now()
		src, envName := "prodTestSuite", "prod"
		md := map[string]any{"jenkins": map[string]any{"job_name": "prodTestSuite"}}
		for _, s := range []map[string]any{
			{"errors": 0, "skips": 0, "failures": 0, "tests": 17}, {"errors": nil, "skips": 0, "failures": 0, "tests": 3},
			{"errors": 0, "skips": 1, "failures": nil, "tests": 7}, {"errors": 1, "skips": nil, "failures": 0, "tests": 1},
			{"errors": 2, "skips": 5, "failures": 3, "tests": 88, "xpasses": nil}, {"errors": 0, "skips": 0, "failures": 0, "tests": nil},
		} {
			e.run(now, "", md, s, func(r *model.Run) { r.Source, r.Env = &src, &envName })
		}
		stage := "stage"
		e.run(now, "", md, sum6(50, 1, 1, 1), func(r *model.Run) { r.Source, r.Env = &src, &stage })
		b := e.call("GET", "/api/widget/result-summary?source=prodTestSuite&env=prod&job_name=prodTestSuite&project="+e.project.String(), nil, e.UserToken, 200)
		jsonEq(t, b, `{"error":3,"skipped":6,"failed":3,"passed":104,"total":116,"xfailed":0,"xpassed":0}`)
	})
}

// FX-15.
func TestRunAggregator(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		week := time.Now().Add(-7 * 24 * time.Hour)
		e.run(week, "A", nil, map[string]any{"tests": 8, "failures": 1, "errors": 3, "skips": 0})
		e.run(week, "B", nil, map[string]any{"tests": 3, "failures": 1, "errors": 0, "skips": 0, "xpasses": 1})
		e.run(week, "C", nil, map[string]any{"tests": 0})
		e.run(time.Now().Add(-35*24*time.Hour), "A", nil, map[string]any{"tests": 100, "failures": 100})
		e.run(week, "", nil, map[string]any{"tests": 5})
		b := e.call("GET", "/api/widget/run-aggregator?weeks=4&group_field=component&project="+e.project.String(), nil, e.UserToken, 200)
		jsonEq(t, b, `{"passed":{"A":50,"B":67},"skipped":{"A":0,"B":0},"error":{"A":38,"B":0},"failed":{"A":12,"B":33},"xfailed":{"A":0,"B":0},"xpassed":{"A":0,"B":0}}`)
	})
}

// FX-16.
func TestResultAggregator(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		now := time.Now()
		for i := 0; i < 3; i++ {
			e.result(now.Add(-24*time.Hour), "A", "passed", nil)
		}
		for i := 0; i < 5; i++ {
			e.result(now.Add(-48*time.Hour), "B", "failed", nil)
		}
		e.result(now, "", "passed", nil)
		e.result(now, "", "passed", nil)
		for i := 0; i < 4; i++ {
			e.result(now.Add(-100*24*time.Hour), "A", "passed", nil)
		}
		base := "/api/widget/result-aggregator?group_field=component&project=" + e.project.String()
		jsonEq(t, e.call("GET", base, nil, e.UserToken, 200), `[{"_id":"B","count":5},{"_id":"A","count":3}]`)
		jsonEq(t, e.call("GET", base+"&days=365", nil, e.UserToken, 200), `[{"_id":"A","count":7},{"_id":"B","count":5}]`)
		got := e.call("GET", base+"&for_filter=true", nil, e.UserToken, 200)
		if string(got) != "[{\"_id\":\"A\"},{\"_id\":\"B\"}]\n" && string(got) != "[{\"_id\":\"B\"},{\"_id\":\"A\"}]\n" {
			t.Fatalf("for_filter: %s", got)
		}
		jsonEq(t, e.call("GET", "/api/widget/result-aggregator?group_field=nonexistent_column", nil, e.UserToken, 200), `[]`)
	})
}

// FX-17.
func TestJenkinsHeatmap(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		t0 := time.Now().Add(-time.Hour)
		at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
		a1 := e.run(at(0), "A", jenkins("J", "1"), sum6(10, 1, 0, 0))
		b1 := e.run(at(1), "B", jenkins("J", "1"), sum6(10, 0, 0, 0))
		a2 := e.run(at(2), "A", jenkins("J", "2"), sum6(10, 0, 2, 0))
		a3 := e.run(at(3), "A", jenkins("J", "3"), sum6(10, 0, 0, 1))
		b3 := e.run(at(4), "B", jenkins("J", "3"), sum6(10, 5, 0, 0))
		base := "/api/widget/jenkins-heatmap?job_name=J&builds=3&group_field=component&project=" + e.project.String()
		jsonEq(t, e.call("GET", base, nil, e.UserToken, 200), fmt.Sprintf(`{"heatmap":{
			"A":[[5.0,0],[90.0,%q,null,"1"],[80.0,%q,null,"2"],[100.0,%q,null,"3"]],
			"B":[[-50.0,0],[100.0,%q,null,"1"],["Build failed","None",null,"2"],[50.0,%q,null,"3"]]}}`, a1.ID, a2.ID, a3.ID, b1.ID, b3.ID))
		got := obj(t, e.call("GET", base+"&count_skips=true", nil, e.UserToken, 200))
		a := got["heatmap"].(map[string]any)["A"].([]any)
		if a[0].([]any)[0].(float64) != 0 || a[3].([]any)[0].(float64) != 90 {
			t.Fatalf("count_skips: %v", a)
		}
		e.call("GET", base, nil, e.outsider, 403)
		jsonEq(t, e.call("GET", "/api/widget/jenkins-heatmap?job_name=nope&builds=3&group_field=component", nil, e.UserToken, 200), `{"heatmap":{}}`)
	})
}

// FX-18.
func TestFilterHeatmap(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		t0 := time.Now().Add(-time.Hour)
		var ids []string
		for i, f := range []float64{1, 2, 0, 3} {
			r := e.run(t0.Add(time.Duration(i)*time.Minute), "fh", nil, sum6(10, f, 0, 0))
			ids = append(ids, r.ID.String())
		}
		got := obj(t, e.call("GET", "/api/widget/filter-heatmap?additional_filters=component=fh&builds=3&group_field=component&project="+e.project.String(), nil, e.UserToken, 200))
		fh := got["heatmap"].(map[string]any)["fh"].([]any)
		if s := fh[0].([]any)[0].(float64); s > -0.0214 || s < -0.0215 {
			t.Fatalf("slope %v", s)
		}
		jsonEq(t, mustJSON(fh[1:]), fmt.Sprintf(`[[80.0,%q,null,"3"],[100.0,%q,null,"2"],[70.0,%q,null,"1"]]`, ids[1], ids[2], ids[3]))
	})
}

// FX-19.
func TestJenkinsJobViewAndCharts(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		T := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
		prod := "prod"
		md7 := jenkins("J", "7")
		md7["jenkins"].(map[string]any)["build_url"] = "http://ci/J/7"
		dur := func(d float64) func(*model.Run) { return func(r *model.Run) { r.Duration = &d; r.Env = &prod } }
		e.run(T, "", md7, sum6(10, 1, 0, 1), dur(300))
		e.run(T.Add(600*time.Second), "", md7, sum6(20, 0, 2, 0), dur(900))
		e.run(T.Add(-24*time.Hour), "", jenkins("J", "6"), sum6(5, 0, 0, 0), dur(600))
		jjv := obj(t, e.call("GET", "/api/widget/jenkins-job-view?filter=job_name=J", nil, e.UserToken, 200))
		jsonEq(t, mustJSON(jjv["pagination"]), `{"page":1,"pageSize":25,"totalItems":2,"totalPages":1}`)
		jobs := jjv["jobs"].([]any)
		j7 := jobs[0].(map[string]any)
		if j7["_id"] != "J-7" || j7["duration"].(float64) != 1500 || j7["total_execution_time"].(float64) != 1200 || j7["build_url"] != "http://ci/J/7" {
			t.Fatalf("J-7: %v", j7)
		}
		jsonEq(t, mustJSON(j7["summary"]), `{"xfailures":0,"xpasses":0,"errors":2,"failures":1,"skips":1,"tests":30,"passes":26}`)
		if jobs[1].(map[string]any)["_id"] != "J-6" {
			t.Fatalf("order: %v", jobs)
		}
		jsonEq(t, e.call("GET", "/api/widget/jenkins-bar-chart?job_name=J&builds=10", nil, e.UserToken, 200),
			`{"passed":{"7":26,"6":5},"skipped":{"7":1,"6":0},"error":{"7":2,"6":0},"failed":{"7":1,"6":0},"xpassed":{"7":0,"6":0},"xfailed":{"7":0,"6":0}}`)
		jsonEq(t, e.call("GET", "/api/widget/jenkins-line-chart?job_name=J&builds=10", nil, e.UserToken, 200),
			`{"duration":{"7":0.42,"6":0.17},"total_execution_time":{"7":0.33,"6":0.17}}`)
	})
}

// FX-20.
func TestImportanceComponent(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		now := time.Now()
		md := func(build, imp string) map[string]any {
			m := jenkins("J", build)
			m["importance"] = imp
			return m
		}
		h1 := e.result(now.Add(-time.Minute), "c1", "passed", md("100", "high"))
		h2 := e.result(now, "c1", "failed", md("100", "high"))
		m1 := e.result(now, "c1", "skipped", md("100", "medium"))
		l1 := e.result(now, "c2", "passed", md("100", "low"))
		e1 := e.result(now, "c1", "error", md("101", "critical"))
		got := e.call("GET", "/api/widget/importance-component?job_name=J&components=c1,c2&builds=5&project="+e.project.String(), nil, e.UserToken, 200)
		na := `{"percentage":"N/A","result_list":[]}`
		nA := `{"percentage":"NA","result_list":[]}`
		jsonEq(t, got, fmt.Sprintf(`{"table_data":[
		 {"component":"c1","bnums":["100","101"],"importances":["critical","high","medium","low"],"data":{
		  "100":{"critical":%[6]s,"high":{"percentage":0.5,"result_list":[%[1]q,%[2]q]},"medium":{"percentage":1.0,"result_list":[%[3]q]},"low":%[6]s},
		  "101":{"critical":{"percentage":0.0,"result_list":[%[5]q]},"high":%[6]s,"medium":%[6]s,"low":%[6]s}}},
		 {"component":"c2","bnums":["100","101"],"importances":["critical","high","medium","low"],"data":{
		  "100":{"critical":%[6]s,"high":%[6]s,"medium":%[6]s,"low":{"percentage":1.0,"result_list":[%[4]q]}},
		  "101":{"critical":%[7]s,"high":%[7]s,"medium":%[7]s,"low":%[7]s}}}]}`, h1.ID, h2.ID, m1.ID, l1.ID, e1.ID, na, nA))
		jsonEq(t, e.call("GET", "/api/widget/importance-component?job_name=J&components=c1", nil, e.UserToken, 200), `{"table_data":[]}`)
	})
}

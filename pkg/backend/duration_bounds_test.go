package backend_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// Reports whose times are "Infinity" or "NaN" (strconv.ParseFloat reads
// both), or whose finite times add up beyond float64: each made a run's or
// a result's duration non-finite, and then every answer carrying it — GET
// /api/run/{id}, the project's run and result lists — was a 200 with an
// empty body.
var durationReports = map[string]string{
	"xunit.xml": `<?xml version="1.0" encoding="utf-8"?>
<assemblies><assembly name="a.dll" total="3" passed="2" failed="1" skipped="0" time="Infinity" errors="0">
<collection total="3" passed="2" failed="1" skipped="0" name="c" time="Infinity">
<test name="A.B.inf" type="A.B" method="inf" time="Infinity" result="Pass"></test>
<test name="A.B.huge" type="A.B" method="huge" time="1.7e308" result="Pass"></test>
<test name="A.B.nan" type="A.B" method="nan" time="NaN" result="Fail"><failure exception-type="X"><message>boom</message></failure></test>
</collection></assembly></assemblies>`,
	"results.trx": `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="r" name="t" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Times start="2026-01-01T00:00:00.0000000+00:00"/><Results>
<UnitTestResult executionId="e1" testId="t1" testName="T1" duration="NaN:00:00" startTime="2026-01-01T00:00:01.0000000+00:00" outcome="Passed"/>
<UnitTestResult executionId="e2" testId="t2" testName="T2" duration="00:00:Infinity" startTime="2026-01-01T00:00:01.0000000+00:00" outcome="Passed"/>
</Results><TestDefinitions>
<UnitTest name="T1" storage="/src/a.dll" id="t1"><Execution id="e1"/><TestMethod codeBase="/src/a.dll" className="C" name="T1"/></UnitTest>
<UnitTest name="T2" storage="/src/a.dll" id="t2"><Execution id="e2"/><TestMethod codeBase="/src/a.dll" className="C" name="T2"/></UnitTest>
</TestDefinitions><ResultSummary outcome="Passed"/></TestRun>`,
	"junit.xml": `<?xml version="1.0"?><testsuite name="s" tests="2" time="1.7e308">
<testcase classname="c" name="a" time="1.7e308"/><testcase classname="c" name="b" time="1.7e308"/></testsuite>`,
}

// TestDurationsStayFinite: durations are finite numbers of seconds within
// ±model.MaxDurationSeconds wherever they come from, so no sum of them
// leaves float64's range. A body beyond the bound is a 400 naming the
// field; imported times are clamped (NaN is 0); two results at the bound
// give their run a finite duration; and every run and result of the
// project is served as JSON.
func TestDurationsStayFinite(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		tok := e.TokenFor(e.CreateUser("durations@example.com", "pw", false))
		pid := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "durations"}, tok), "project")["id"].(string)
		runID := mustOK(t, e.Do("POST", "/api/run", map[string]any{"project_id": pid, "metadata": map[string]any{"env": "e"}}, tok), "run")["id"].(string)
		result := func(d any) map[string]any {
			return map[string]any{"test_id": "t", "result": "passed", "run_id": runID, "project_id": pid, "duration": d}
		}
		own := mustOK(t, e.Do("POST", "/api/result", result(1), tok), "result")["id"].(string)
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/result", result(1.7e308)},
			{"POST", "/api/result", result(-1e16)},
			{"PUT", "/api/result/" + own, map[string]any{"duration": 1e300}},
			{"POST", "/api/run", map[string]any{"project_id": pid, "metadata": map[string]any{"env": "e"}, "duration": 1.7e308}},
			{"PUT", "/api/run/" + runID, map[string]any{"duration": -1.7e308}},
		} {
			r := e.Do(c.method, c.path, c.body, tok)
			if r.Code != 400 || !strings.Contains(r.Body.String(), "duration") {
				t.Errorf("%s %s %v: %d %s, want a 400 naming duration", c.method, c.path, c.body, r.Code, r.Body)
			}
		}
		// At the bound, twice: the run's summed duration stays finite.
		for i := 0; i < 2; i++ {
			mustOK(t, e.Do("POST", "/api/result", result(1e15), tok), "result at the bound")
		}
		var runs []string
		for name, body := range durationReports {
			r := postMultipart(e, "/api/import", map[string]string{"project": pid}, "importFile", name, []byte(body), tok)
			if r.Code != 202 {
				t.Fatalf("import %s: %d %s", name, r.Code, r.Body)
			}
			st := (&isoFixture{Env: e}).waitImport(r.Map()["id"].(string))
			ids, _ := st["metadata"].(map[string]any)["run_id"].([]any)
			if st["status"] != "done" || len(ids) != 1 {
				t.Fatalf("import %s: %v", name, st)
			}
			runs = append(runs, ids[0].(string))
		}
		var bad []struct{ ID, What string }
		e.App.DB.Gorm.Raw(`SELECT CAST(id AS TEXT) AS id, 'result' AS what FROM results WHERE duration IS NOT NULL AND NOT (duration BETWEEN -1e15 AND 1e15)
			UNION ALL SELECT CAST(id AS TEXT), 'run' FROM runs WHERE duration IS NOT NULL AND NOT (duration BETWEEN -1e15 AND 1e15)`).Scan(&bad)
		if len(bad) > 0 {
			t.Errorf("durations beyond the bound stored: %v", bad)
		}
		// The API run's summary (debounced) sums the results at the bound.
		deadline := time.Now().Add(run.SummaryWindow + 10*time.Second)
		for {
			v := servedJSON(t, e, "/api/run/"+runID, tok)
			if d, _ := v["duration"].(float64); d >= 2e15 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("run %s: summary never counted the results at the bound: %v", runID, v)
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, id := range runs {
			servedJSON(t, e, "/api/run/"+id, tok)
		}
		servedJSON(t, e, "/api/run?filter=project_id="+pid, tok)
		servedJSON(t, e, "/api/result?pageSize=100&filter=project_id="+pid, tok)
	})
}

// servedJSON GETs path and requires a 200 whose body is a JSON object.
func servedJSON(t *testing.T, e *backendtest.Env, path, tok string) map[string]any {
	t.Helper()
	r := e.Do("GET", path, nil, tok)
	var v map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &v); r.Code != 200 || err != nil {
		t.Fatalf("GET %s: %d, body %q is not a JSON object (%v)", path, r.Code, trim(r.Body.String()), err)
	}
	return v
}

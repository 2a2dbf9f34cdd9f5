package backend_test

import (
	"testing"
)

// TestCompareRunsAnswersAsGetRun: compare-runs tells about the runs it is
// given exactly what GET /api/run/{id} tells — 404 "Run not found" for an
// unknown run, 403 "Forbidden" for another project's — checking the base
// run, then the target, as those two GETs would, so no pair of ids reveals
// more than the GETs (for example a foreign base with an unknown target is
// the foreign base's 403, not the unknown target's 404).
func TestCompareRunsAnswersAsGetRun(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newS6Fixture(t, sqlite)
		own, foreign, unknown := f.ids["B.run"], f.ids["A.run"], "00000000-0000-4000-8000-000000000000"
		get := func(id string) (int, string) {
			r := f.Do("GET", "/api/run/"+id, nil, f.attacker)
			return r.Code, r.Body.String()
		}
		if c, _ := get(unknown); c != 404 {
			t.Fatalf("GET unknown run: %d", c)
		}
		if c, _ := get(foreign); c != 403 {
			t.Fatalf("GET foreign run: %d", c)
		}
		for _, p := range []struct{ name, base, target string }{
			{"own, unknown", own, unknown},
			{"own, foreign", own, foreign},
			{"unknown, own", unknown, own},
			{"foreign, own", foreign, own},
			{"foreign, unknown", foreign, unknown},
			{"unknown, foreign", unknown, foreign},
		} {
			// The first of the two GETs that is refused is the answer.
			wantCode, wantBody := get(p.base)
			if wantCode == 200 {
				wantCode, wantBody = get(p.target)
			}
			r := f.Do("GET", "/api/widget/compare-runs-view?base_run="+p.base+"&target_run="+p.target, nil, f.attacker)
			if r.Code != wantCode || r.Body.String() != wantBody {
				t.Errorf("compare %s: %d %s, want %d %s (as GET /api/run)", p.name, r.Code, r.Body, wantCode, wantBody)
			}
		}
	})
}

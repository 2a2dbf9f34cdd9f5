package widget

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// seedJenkinsHistory writes a few hundred runs over two projects: jobs J
// and K with builds fanned out over components, builds whose runs straddle
// others (an old rerun of a new build), equal start times, numbers with
// leading zeros ("007" is build 7), non-numeric numbers, runs without job
// metadata or without a build number, and the other project's runs of the
// same jobs at the newest times.
func seedJenkinsHistory(t *testing.T, f *storeFixture) {
	t.Helper()
	rng := rand.New(rand.NewPCG(24, 24))
	base := time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Second)
	var rows []any
	add := func(p uuid.UUID, md model.JSON, start time.Time, comp string) {
		tests := 5 + rng.IntN(20)
		rows = append(rows, &model.Run{ID: uuid.New(), ProjectID: &p, StartTime: start, Created: start, Component: model.Ptr(comp),
			Env: model.Ptr("ci"), Source: model.Ptr("src"), Duration: model.Ptr(float64(rng.IntN(100))), Data: md,
			Summary: model.JSON{"tests": tests, "failures": rng.IntN(3), "errors": rng.IntN(2), "skips": rng.IntN(2)}})
	}
	jenkins := func(job string, build any) model.JSON {
		return model.JSON{"jenkins": map[string]any{"job_name": job, "build_number": build, "build_url": "u/" + job}}
	}
	for b := 1; b <= 60; b++ {
		for _, job := range []string{"J", "K"} {
			for c, comp := range []string{"api", "ui", "db"} {
				start := base.Add(time.Duration(b)*time.Hour + time.Duration(c)*time.Minute)
				if rng.IntN(10) == 0 {
					start = base.Add(time.Duration(b) * time.Hour) // ties with the build's first run
				}
				build := any(fmt.Sprint(b))
				switch {
				case b%17 == 0 && c == 1:
					build = fmt.Sprintf("00%d", b) // the same build, another spelling
				case b%11 == 0 && c == 2:
					build = b // a JSON number
				}
				add(f.mine, jenkins(job, build), start, comp)
			}
		}
		if b%7 == 0 { // a late rerun of an early build, and an early run of a late one
			add(f.mine, jenkins("J", fmt.Sprint(b/7)), base.Add(time.Duration(b)*time.Hour+30*time.Minute), "api")
			add(f.mine, jenkins("J", fmt.Sprint(60-b/7)), base.Add(time.Duration(b)*time.Hour+40*time.Minute), "ui")
		}
	}
	for i := 0; i < 20; i++ {
		at := base.Add(time.Duration(rng.IntN(70)) * time.Hour)
		add(f.mine, model.JSON{"component": "api"}, at, "api")                                        // no job metadata
		add(f.mine, model.JSON{"jenkins": map[string]any{"job_name": "J"}}, at, "api")                // no build number
		add(f.mine, jenkins("J", "rc-"+fmt.Sprint(i)), base.Add(time.Duration(70+i)*time.Hour), "ui") // not a number
		add(f.theirs, jenkins("J", fmt.Sprint(100+i)), base.Add(time.Duration(80+i)*time.Hour), "api")
		add(f.theirs, jenkins("K", fmt.Sprint(i+1)), base.Add(time.Duration(80+i)*time.Hour), "api")
	}
	f.create(t, rows...)
}

// TestStoreBoundedJenkinsQueriesMatchGrouping: the bounded jenkins-heatmap
// build look-up and jenkins-job-view page equal what grouping every run
// gives, for many sizes, pages, filters and both scopes (one project
// named, or every project of the caller), and never show the other
// project's runs.
func TestStoreBoundedJenkinsQueriesMatchGrouping(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newStoreFixture(t, d)
		seedJenkinsHistory(t, f)
		ctx := context.Background()
		scopes := []args{{}, {"project": f.mine.String()}}
		for _, a := range scopes {
			for _, base := range [][]string{{"metadata.jenkins.job_name=J"}, {"metadata.jenkins.job_name=K"},
				{"metadata.jenkins.job_name=J", "component=ui"}, {"metadata.jenkins.job_name=nope"}} {
				for _, n := range []int{0, 1, 3, 5, 13, 40, 59, 60, 61, 200} {
					got, gotAt, err := f.q.recentBuilds(ctx, base, a, n)
					if err != nil {
						t.Fatal(err)
					}
					bn, bargs, w, err := f.q.buildRuns(base, a)
					if err != nil {
						t.Fatal(err)
					}
					var want []string
					var wantAt any
					if n > 0 {
						if want, wantAt, err = f.q.groupedBuilds(ctx, bn, bargs, w, n); err != nil {
							t.Fatal(err)
						}
					}
					g, _ := asTime(gotAt)
					wt, _ := asTime(wantAt)
					if !reflect.DeepEqual(got, want) || !g.Equal(wt) {
						t.Fatalf("recentBuilds(%v, %v, %d) = %v from %v; grouping every run gives %v from %v", base, a, n, got, gotAt, want, wantAt)
					}
					for _, b := range got {
						if b >= "100" && len(b) == 3 {
							t.Fatalf("recentBuilds(%v) shows the other project's build %s", base, b)
						}
					}
				}
			}
			for _, fs := range [][]string{nil, {"job_name=J"}, {"job_name=K"}, {"job_name=J", "component=db"}, {"build_number=7"}} {
				project := ""
				if p, ok := a.str("project"); ok {
					project = p
				}
				for _, pg := range [][2]int{{1, 25}, {2, 25}, {5, 25}, {6, 25}, {1, 1}, {3, 7}, {1, 1000}, {40, 3}} {
					got, gotPag, err := f.q.jobView(ctx, fs, project, pg[0], pg[1], 0)
					if err != nil {
						t.Fatal(err)
					}
					want, wantPag, err := f.q.jobView(ctx, fs, project, pg[0], pg[1], 1<<30)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) || gotPag != wantPag {
						t.Fatalf("jobView(%v, page %d of %d):\n got  %+v %+v\n want %+v %+v", fs, pg[0], pg[1], got, gotPag, want, wantPag)
					}
					for _, j := range got {
						if n := deref(j.BuildNumber); len(n) == 3 && n[0] == '1' {
							t.Fatalf("jobView(%v) shows the other project's build %s", fs, n)
						}
					}
				}
			}
		}
	})
}

package flaky

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/paging"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// fixture: project mine (owner, member) and theirs. In mine, job "nightly":
//   - t_retry passed and failed in run r1 (a retry in the run);
//   - t_build failed in one run and passed in another of build 2;
//   - t_flip went P F P F P P over six builds (4 flips);
//   - t_once went P P F P P (2 flips, not flaky with K=3);
//   - t_fail always failed; t_old passed and failed in one run 30 days ago;
//   - t_split passed with component a and failed with component b in r1.
//
// In theirs, t_retry passed and failed in one run.
type fixture struct {
	d                      *db.DB
	svc                    *Service
	logs                   *bytes.Buffer
	owner, member, outside *model.User
	mine, theirs           uuid.UUID
	runs                   []uuid.UUID // mine's runs r1.. in order
	theirRun               uuid.UUID
	now                    time.Time
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, mine: uuid.New(), theirs: uuid.New(), now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), logs: &bytes.Buffer{}}
	f.owner = &model.User{ID: uuid.New(), Email: "owner@example.com", IsActive: true}
	f.member = &model.User{ID: uuid.New(), Email: "member@example.com", IsActive: true}
	f.outside = &model.User{ID: uuid.New(), Email: "outsider@example.com", IsActive: true}
	testdb.Insert(t, d, f.owner, f.member, f.outside,
		&model.Project{ID: f.mine, Name: model.Ptr("mine"), OwnerID: &f.owner.ID},
		&model.Project{ID: f.theirs, Name: model.Ptr("theirs"), OwnerID: &f.outside.ID},
		&model.UserProject{UserID: f.member.ID, ProjectID: f.mine}, &model.UserProject{UserID: f.outside.ID, ProjectID: f.theirs})
	f.svc = NewService(d, project.NewStore(d), slog.New(slog.NewTextHandler(f.logs, nil)))
	f.svc.now = func() time.Time { return f.now }
	t0 := f.now.Add(-5 * 24 * time.Hour)
	run := func(project uuid.UUID, at time.Time, build string) uuid.UUID {
		id := uuid.New()
		testdb.Insert(t, d, &model.Run{ID: id, ProjectID: &project, StartTime: at, Created: at,
			Data: model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": build}}})
		return id
	}
	var n int
	add := func(project, runID uuid.UUID, at time.Time, test, status string, component *string) {
		n++
		testdb.Insert(t, d, &model.Result{ID: uuid.New(), ProjectID: &project, RunID: &runID, TestID: &test, Result: &status,
			StartTime: at.Add(time.Duration(n) * time.Second), Component: component, Data: model.JSON{}})
	}
	// builds 1..6, one run each; build 2 has a second run.
	for b := 1; b <= 6; b++ {
		at := t0.Add(time.Duration(b) * time.Hour)
		f.runs = append(f.runs, run(f.mine, at, itoa(b)))
	}
	r2b := run(f.mine, t0.Add(2*time.Hour+30*time.Minute), "2")
	r1 := f.runs[0]
	add(f.mine, r1, t0, "t_retry", "failed", nil)
	add(f.mine, r1, t0.Add(time.Hour), "t_retry", "passed", nil)
	add(f.mine, r1, t0.Add(time.Hour), "t_split", "passed", model.Ptr("a"))
	add(f.mine, r1, t0.Add(time.Hour), "t_split", "failed", model.Ptr("b"))
	add(f.mine, f.runs[1], t0.Add(2*time.Hour), "t_build", "failed", nil)
	add(f.mine, r2b, t0.Add(2*time.Hour+30*time.Minute), "t_build", "passed", nil)
	for i, s := range []string{"passed", "failed", "passed", "error", "passed", "passed"} {
		add(f.mine, f.runs[i], t0.Add(time.Duration(i+1)*time.Hour), "t_flip", s, nil)
	}
	for i, s := range []string{"passed", "passed", "failed", "passed", "passed"} {
		add(f.mine, f.runs[i], t0.Add(time.Duration(i+1)*time.Hour), "t_once", s, nil)
		add(f.mine, f.runs[i], t0.Add(time.Duration(i+1)*time.Hour), "t_fail", "failed", nil)
	}
	old := run(f.mine, f.now.Add(-30*24*time.Hour), "0")
	add(f.mine, old, f.now.Add(-30*24*time.Hour), "t_old", "passed", nil)
	add(f.mine, old, f.now.Add(-30*24*time.Hour), "t_old", "failed", nil)
	f.theirRun = run(f.theirs, t0, "9")
	add(f.theirs, f.theirRun, t0, "t_retry", "passed", nil)
	add(f.theirs, f.theirRun, t0, "t_retry", "failed", nil)
	return f
}

func itoa(i int) string { return string(rune('0' + i)) }

func (f *fixture) rows(t *testing.T, projectID uuid.UUID) map[string]TestRow {
	t.Helper()
	out := map[string]TestRow{}
	for _, r := range testdb.Rows[TestRow](t, f.d, "", "project_id = ?", projectID) {
		out[r.TestID+"/"+r.Component] = r
	}
	return out
}

func (f *fixture) evidence(t *testing.T, flakyID uuid.UUID) []EvidenceRow {
	t.Helper()
	return testdb.Rows[EvidenceRow](t, f.d, "start_time", "flaky_id = ?", flakyID)
}

func keysOf[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sortStrings(ks)
	return strings.Join(ks, ",")
}

func sortStrings(xs []string) {
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[j] < xs[i] {
				xs[i], xs[j] = xs[j], xs[i]
			}
		}
	}
}

func TestRefreshFindsFlakyTestsByTheRules(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		if err := f.svc.RefreshProject(ctx, f.mine); err != nil {
			t.Fatal(err)
		}
		got := f.rows(t, f.mine)
		if k := keysOf(got); k != "t_build/,t_flip/,t_retry/" {
			t.Fatalf("flaky tests %s, want t_build, t_flip, t_retry", k)
		}
		retry, build, flip := got["t_retry/"], got["t_build/"], got["t_flip/"]
		if retry.Job != "nightly" || retry.Retries != 1 || retry.Runs != 1 || retry.Score != 1 || retry.Flips != 0 {
			t.Errorf("t_retry: %+v", retry)
		}
		if ev := f.evidence(t, retry.ID); len(ev) != 2 || ev[0].Kind != KindRetryRun || ev[0].Outcome != "failed" || ev[1].Outcome != "passed" || *ev[0].RunID != f.runs[0] {
			t.Errorf("t_retry evidence: %+v", ev)
		}
		if ev := f.evidence(t, build.ID); build.Retries != 1 || len(ev) != 2 || ev[0].Kind != KindRetryBuild || ev[0].Build != "2" {
			t.Errorf("t_build: %+v, evidence %+v", build, ev)
		}
		if flip.Flips != 4 || flip.Runs != 6 || flip.FlipRate != 0.8 || flip.Score != 0.8 || flip.Retries != 0 {
			t.Errorf("t_flip: %+v", flip)
		}
		ev := f.evidence(t, flip.ID)
		if len(ev) != 5 || ev[0].Kind != KindFlip || !flip.FirstFlake.Equal(ev[0].StartTime) || !flip.LastFlake.Equal(ev[4].StartTime) {
			t.Errorf("t_flip evidence (the 5 results around the 4 flips): %+v", ev)
		}
		if n := strings.Count(f.logs.String(), "test turned flaky"); n != 3 {
			t.Errorf("%d turned-flaky events, want 3", n)
		}
		if len(f.rows(t, f.theirs)) != 0 {
			t.Error("refreshing mine wrote rows of theirs")
		}

		// A second refresh changes nothing and reports nothing new.
		if err := f.svc.RefreshProject(ctx, f.mine); err != nil {
			t.Fatal(err)
		}
		again := f.rows(t, f.mine)
		if again["t_flip/"].ID != flip.ID || !again["t_flip/"].DetectedAt.Equal(flip.DetectedAt) || len(again) != 3 {
			t.Errorf("second refresh: %+v", again)
		}
		if n := strings.Count(f.logs.String(), "test turned flaky"); n != 3 {
			t.Errorf("%d turned-flaky events after a second refresh, want still 3", n)
		}

		// The window moves on: nothing is flaky 20 days later.
		f.now = f.now.Add(20 * 24 * time.Hour)
		if err := f.svc.RefreshProject(ctx, f.mine); err != nil {
			t.Fatal(err)
		}
		if got := f.rows(t, f.mine); len(got) != 0 {
			t.Errorf("after the window: %s", keysOf(got))
		}
		var n int64
		if err := d.Conn(ctx).Model(&EvidenceRow{}).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("evidence left: %d (%v)", n, err)
		}
	})
}

func TestRefreshRunAndRefreshAll(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		// t_once fails again in build 7: P P F P P F is 3 flips.
		r7 := uuid.New()
		at := f.now.Add(-time.Hour)
		testdb.Insert(t, d, &model.Run{ID: r7, ProjectID: &f.mine, StartTime: at, Created: at,
			Data: model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": "7"}}},
			&model.Result{ID: uuid.New(), ProjectID: &f.mine, RunID: &r7, TestID: model.Ptr("t_once"), Result: model.Ptr("failed"), StartTime: at})
		if err := f.svc.RefreshRun(ctx, r7); err != nil {
			t.Fatal(err)
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_once/" {
			t.Errorf("after the run's refresh: %s, want only t_once (the run's failed test)", k)
		}
		if err := f.svc.RefreshRun(ctx, uuid.New()); err != nil {
			t.Errorf("unknown run: %v", err)
		}
		n, err := f.svc.RefreshAll(ctx)
		if err != nil || n != 2 {
			t.Fatalf("RefreshAll: %d, %v", n, err)
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_build/,t_flip/,t_once/,t_retry/" {
			t.Errorf("after the full refresh: %s", k)
		}
		if k := keysOf(f.rows(t, f.theirs)); k != "t_retry/" {
			t.Errorf("theirs after the full refresh: %s", k)
		}
	})
}

func TestSettingsAccessAndEffect(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		if err := f.svc.RefreshProject(ctx, f.mine); err != nil {
			t.Fatal(err)
		}
		st, err := f.svc.GetSettings(ctx, f.member, f.mine)
		if err != nil || st != Defaults {
			t.Errorf("member reads %+v, %v; want the defaults", st, err)
		}
		if _, err := f.svc.GetSettings(ctx, f.outside, f.mine); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("outsider read: %v, want forbidden", err)
		}
		if _, err := f.svc.GetSettings(ctx, f.member, uuid.New()); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("unknown project: %v, want not found", err)
		}
		five := 5
		for who, u := range map[string]*model.User{"member": f.member, "outsider": f.outside} {
			if _, err := f.svc.PutSettings(ctx, u, f.mine, SettingsRequest{MinFlips: &five}); apperr.KindOf(err) != apperr.KindForbidden {
				t.Errorf("%s write: %v, want forbidden", who, err)
			}
		}
		if _, ok, _ := f.svc.store.settings(ctx, f.mine); ok {
			t.Error("a refused write stored settings")
		}
		for _, bad := range []SettingsRequest{{MinFlips: model.Ptr(0)}, {MinFlips: model.Ptr(10)}, {LastRuns: model.Ptr(1)},
			{LastRuns: model.Ptr(101)}, {WindowDays: model.Ptr(0)}, {WindowDays: model.Ptr(366)}} {
			if _, err := f.svc.PutSettings(ctx, f.owner, f.mine, bad); apperr.KindOf(err) != apperr.KindInvalid {
				t.Errorf("%+v: %v, want a 400", bad, err)
			}
		}
		st, err = f.svc.PutSettings(ctx, f.owner, f.mine, SettingsRequest{MinFlips: &five})
		if err != nil || st != (Settings{MinFlips: 5, LastRuns: 10, WindowDays: 14}) {
			t.Fatalf("owner write: %+v, %v", st, err)
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_build/,t_retry/" {
			t.Errorf("with K=5 the 4-flip test is no longer flaky: %s", k)
		}
		admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
		if st, err = f.svc.PutSettings(ctx, admin, f.mine, SettingsRequest{LastRuns: model.Ptr(3), MinFlips: model.Ptr(2)}); err != nil || st.LastRuns != 3 {
			t.Errorf("superadmin write: %+v, %v", st, err)
		}
		if got, _ := f.svc.GetSettings(ctx, f.member, f.mine); got != st {
			t.Errorf("stored %+v, read %+v", st, got)
		}
	})
}

func TestListAndMarkers(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		if _, err := f.svc.RefreshAll(ctx); err != nil {
			t.Fatal(err)
		}
		page := paging.Page{Page: 1, PageSize: 2}
		rows, total, err := f.svc.List(ctx, f.member, ListRequest{Project: f.mine, Page: page})
		if err != nil || total != 3 || len(rows) != 2 {
			t.Fatalf("list: %d of %d, %v", len(rows), total, err)
		}
		if rows[0].Score < rows[1].Score || len(rows[0].Evidence) == 0 {
			t.Errorf("not by score, or without evidence: %+v", rows)
		}
		v := NewView(&rows[0])
		if v.Component != nil || *v.Job != "nightly" || v.Evidence[0].RunID == nil {
			t.Errorf("view %+v", v)
		}
		if _, total, _ := f.svc.List(ctx, f.member, ListRequest{Project: f.mine, Job: model.Ptr("other"), Page: page}); total != 0 {
			t.Errorf("job filter: %d", total)
		}
		if _, total, _ := f.svc.List(ctx, f.member, ListRequest{Project: f.mine, Component: model.Ptr(""), Page: page}); total != 3 {
			t.Errorf("component filter (none): %d", total)
		}
		if _, total, _ := f.svc.List(ctx, f.member, ListRequest{Project: f.mine, WindowDays: model.Ptr(1), Page: page}); total != 0 {
			t.Errorf("window of 1 day: %d", total)
		}
		if _, _, err := f.svc.List(ctx, f.member, ListRequest{Project: f.theirs, Page: page}); apperr.KindOf(err) != apperr.KindForbidden {
			t.Errorf("foreign project: %v", err)
		}
		rs := testdb.Rows[model.Result](t, d, "", "test_id IN ?", []string{"t_retry", "t_fail", "t_split"})
		marks, err := f.svc.ResultMarks(ctx, rs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if want := *r.TestID == "t_retry"; marks[r.ID] != want {
				t.Errorf("result %s of %s: marked %v", *r.TestID, *r.ProjectID, marks[r.ID])
			}
		}
		counts, err := f.svc.RunMarks(ctx, []model.Run{{ID: f.runs[0]}, {ID: f.runs[1]}, {ID: f.theirRun}, {ID: uuid.New()}})
		if err != nil {
			t.Fatal(err)
		}
		// r1: t_retry and t_flip's first flip; r2: t_build and t_flip; theirs: t_retry.
		if counts[f.runs[0]] != 2 || counts[f.runs[1]] != 2 || counts[f.theirRun] != 1 || len(counts) != 3 {
			t.Errorf("run marks %v", counts)
		}
	})
}

// The refresh of a run runs when its summary is computed (wiring passes
// RunSummarised to the summarizer).
func TestRefreshAfterRunSummary(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		f.svc.now = time.Now
		ctx := context.Background()
		sum := run.NewSummarizer(d, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), run.AfterSummary(f.svc.RunSummarised))
		r := uuid.New()
		at := time.Now().UTC().Add(-time.Minute)
		testdb.Insert(t, d, &model.Run{ID: r, ProjectID: &f.mine, StartTime: at, Created: at},
			&model.Result{ID: uuid.New(), ProjectID: &f.mine, RunID: &r, TestID: model.Ptr("t_new"), Result: model.Ptr("failed"), StartTime: at},
			&model.Result{ID: uuid.New(), ProjectID: &f.mine, RunID: &r, TestID: model.Ptr("t_new"), Result: model.Ptr("passed"), StartTime: at})
		if err := sum.Recompute(ctx, r); err != nil {
			t.Fatal(err)
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_new/" {
			t.Errorf("after the summary: %s", k)
		}
	})
}

// Refreshes of one project at the same time (a run's and the periodic one)
// do not trip over each other's inserts.
func TestConcurrentRefreshes(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		errs := make(chan error, 4)
		for range 4 {
			go func() { errs <- f.svc.RefreshProject(ctx, f.mine) }()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if k := keysOf(f.rows(t, f.mine)); k != "t_build/,t_flip/,t_retry/" {
			t.Errorf("after concurrent refreshes: %s", k)
		}
		if n := strings.Count(f.logs.String(), "test turned flaky"); n != 3 {
			t.Errorf("%d turned-flaky events, want 3", n)
		}
	})
}

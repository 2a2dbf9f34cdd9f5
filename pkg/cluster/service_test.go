package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// A pytest-style failure whose request id differs in every occurrence.
func timeoutTrace() string {
	return fmt.Sprintf("E   ConnectionError: request %s timed out after 30s\n\ntests/test_api.py:12: ConnectionError", uuid.NewString())
}

const newTrace = "E   assert 500 == 200\n\ntests/test_api.py:40: AssertionError"

// fixture: projects mine (member is in it) and theirs; in mine an earlier
// run whose timeouts were classified, and a later run with the same
// timeouts, a new failure and a pass; in theirs a run with the timeout.
type fixture struct {
	d                     *db.DB
	member                *model.User
	mine, theirs          uuid.UUID
	early, late, theirRun uuid.UUID
	results               *result.Service
	svc                   *Service
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, mine: uuid.New(), theirs: uuid.New(), early: uuid.New(), late: uuid.New(), theirRun: uuid.New()}
	f.member = &model.User{ID: uuid.New(), Email: "member@example.com", IsActive: true}
	admin := &model.User{ID: uuid.New(), Email: "admin@example.com", IsActive: true, IsSuperadmin: true}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []any{&model.Project{ID: f.mine, Name: model.Ptr("mine")}, &model.Project{ID: f.theirs, Name: model.Ptr("theirs")},
		f.member, admin, &model.UserProject{UserID: f.member.ID, ProjectID: f.mine},
		&model.Run{ID: f.early, ProjectID: &f.mine, StartTime: t0, Created: t0},
		&model.Run{ID: f.late, ProjectID: &f.mine, StartTime: t0.Add(time.Hour), Created: t0},
		&model.Run{ID: f.theirRun, ProjectID: &f.theirs, StartTime: t0, Created: t0}} {
		if err := d.Conn(ctx).Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
	projects := project.NewStore(d)
	f.results = result.NewService(d, projects, nil, quiet)
	t.Cleanup(f.results.Close)
	f.svc = NewService(d, run.NewService(d, projects, nil, quiet))
	add := func(runID, projectID uuid.UUID, at time.Time, test, status, tb string, extra map[string]any) {
		md := map[string]any{"short_tb": tb}
		for k, v := range extra {
			md[k] = v
		}
		ts, rid, pid := model.FormatTime(at), runID.String(), projectID.String()
		_, err := f.results.Create(ctx, admin, result.CreateRequest{TestID: &test, Result: &status, Metadata: md, StartTime: &ts, RunID: &rid, ProjectID: &pid})
		if err != nil {
			t.Fatal(err)
		}
	}
	classified := map[string]any{"classification": "environment_failure"}
	add(f.early, f.mine, t0, "test_a", "failed", timeoutTrace(), classified)
	add(f.early, f.mine, t0.Add(time.Minute), "test_b", "error", timeoutTrace(), classified)
	add(f.early, f.mine, t0.Add(2*time.Minute), "test_c", "failed", timeoutTrace(), map[string]any{"classification": "product_bug"})
	for i, test := range []string{"test_c", "test_a", "test_b"} {
		add(f.late, f.mine, t0.Add(time.Hour+time.Duration(i)*time.Minute), test, "failed", timeoutTrace(), nil)
	}
	add(f.late, f.mine, t0.Add(2*time.Hour), "test_new", "failed", newTrace, nil)
	add(f.late, f.mine, t0.Add(2*time.Hour), "test_ok", "passed", "", nil)
	add(f.theirRun, f.theirs, t0, "test_x", "failed", timeoutTrace(), nil)
	return f
}

func TestRunClusters(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		v, err := f.svc.RunClusters(context.Background(), f.member, f.late)
		if err != nil {
			t.Fatal(err)
		}
		if v.Failures != 4 || len(v.Clusters) != 2 || v.Truncated {
			t.Fatalf("got %+v", v)
		}
		known, fresh := v.Clusters[0], v.Clusters[1]
		if known.Count != 3 || known.Status != "known" || known.Exception != "ConnectionError" ||
			fmt.Sprint(known.TestIDs) != "[test_a test_b test_c]" || len(known.ResultIDs) != 3 {
			t.Errorf("known cluster %+v", known)
		}
		if known.Example.TestID == nil || *known.Example.TestID != "test_a" || known.Example.Message == nil ||
			!strings.HasPrefix(*known.Example.Message, "ConnectionError: request ") {
			t.Errorf("example %+v", known.Example)
		}
		k := known.Known
		if k == nil || k.Runs != 1 || k.FirstSeen != "2026-01-01T00:00:00Z" || k.LastSeen != "2026-01-01T00:02:00Z" ||
			k.Classification == nil || *k.Classification != "environment_failure" || k.Classifications["product_bug"] != 1 {
			t.Errorf("known %+v", k)
		}
		if fresh.Count != 1 || fresh.Status != "new" || fresh.Known != nil || fresh.Normalised != "AssertionError\nassert <n> == <n>\nat test_api.py" {
			t.Errorf("new cluster %+v", fresh)
		}
		// The earlier run: everything was new then (the later run and the
		// other project do not count).
		v, err = f.svc.RunClusters(context.Background(), f.member, f.early)
		if err != nil || len(v.Clusters) != 1 || v.Clusters[0].Status != "new" || v.Clusters[0].Count != 3 {
			t.Fatalf("early run: %+v %v", v, err)
		}
	})
}

func TestRunClustersOfAForeignRun(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		_, err := f.svc.RunClusters(context.Background(), f.member, f.theirRun)
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("foreign run: %v", err)
		}
		if _, err := f.svc.RunClusters(context.Background(), f.member, uuid.New()); !errors.Is(err, run.ErrNotFound) {
			t.Fatalf("unknown run: %v", err)
		}
	})
}

// fingerprints counts the stored fingerprints of a run.
func fingerprints(t *testing.T, d *db.DB, runID uuid.UUID) int64 {
	t.Helper()
	var n int64
	if err := d.Conn(context.Background()).Model(&fingerprint.Row{}).Where("run_id = ?", runID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUpdateAndBackfillKeepFingerprintsRight(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		if n := fingerprints(t, d, f.late); n != 4 {
			t.Fatalf("written: %d fingerprints, want 4", n)
		}
		var r model.Result
		if err := d.Conn(ctx).Where("run_id = ? AND test_id = ?", f.late, "test_new").Take(&r).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := f.results.Update(ctx, f.member, r.ID, result.UpdateRequest{Result: model.Ptr("passed")}); err != nil {
			t.Fatal(err)
		}
		if n := fingerprints(t, d, f.late); n != 3 {
			t.Fatalf("after the fix: %d fingerprints, want 3", n)
		}
		// Rows written without fingerprints (an upstream server, an older
		// version) get them from the backfill, once.
		if err := d.Conn(ctx).Where("1 = 1").Delete(&fingerprint.Row{}).Error; err != nil {
			t.Fatal(err)
		}
		if n, err := fingerprint.Backfill(ctx, d, 10); err != nil || n != 7 {
			t.Fatalf("backfill: %d, %v; want 7", n, err)
		}
		if n, err := fingerprint.Backfill(ctx, d, 10); err != nil || n != 0 {
			t.Fatalf("second backfill: %d, %v; want 0", n, err)
		}
		if n := fingerprints(t, d, f.late); n != 3 {
			t.Fatalf("after backfill: %d fingerprints, want 3", n)
		}
	})
}

func TestClassifyCluster(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		v, err := f.svc.RunClusters(ctx, f.member, f.late)
		if err != nil {
			t.Fatal(err)
		}
		hash := v.Clusters[0].Fingerprint
		md := map[string]any{"classification": "environment_failure"}
		rs, err := f.results.BulkUpdateCluster(ctx, f.member, result.ClusterBulkRequest{RunID: f.late, Fingerprint: hash, Metadata: md})
		if err != nil || len(rs) != 3 {
			t.Fatalf("classify: %d results, %v", len(rs), err)
		}
		// The same fingerprint in the other project's run: refused, and
		// nothing there changed.
		_, err = f.results.BulkUpdateCluster(ctx, f.member, result.ClusterBulkRequest{RunID: f.theirRun, Fingerprint: hash, Metadata: md})
		if apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("foreign cluster: %v", err)
		}
		_, err = f.results.BulkUpdateCluster(ctx, f.member, result.ClusterBulkRequest{RunID: f.late, Fingerprint: "nope", Metadata: md})
		if apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("unknown cluster: %v", err)
		}
		all := testdb.Rows[model.Result](t, d, "", "run_id IN ?", []uuid.UUID{f.late, f.theirRun})
		for _, r := range all {
			got, _ := r.Data["classification"].(string)
			want := ""
			if *r.RunID == f.late && *r.Result == "failed" && *r.TestID != "test_new" {
				want = "environment_failure"
			}
			if got != want {
				t.Errorf("%s in run %s: classification %q, want %q", *r.TestID, *r.RunID, got, want)
			}
		}
	})
}

// A bulk update that changes the traceback re-fingerprints; a run moved to
// another project takes its fingerprints along.
func TestBulkEditAndRunMoveKeepFingerprintsRight(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, _ context.Context, d *db.DB, f *fixture) {
		ctx := context.Background()
		admin := &model.User{ID: uuid.New(), IsSuperadmin: true}
		var r model.Result
		if err := d.Conn(ctx).Where("run_id = ? AND test_id = ?", f.late, "test_new").Take(&r).Error; err != nil {
			t.Fatal(err)
		}
		before, _ := fingerprint.Of(&r)
		if _, err := f.results.BulkUpdate(ctx, admin, []uuid.UUID{r.ID}, map[string]any{"short_tb": "E   KeyError: 'x'\n\nt.py:1: KeyError"}); err != nil {
			t.Fatal(err)
		}
		var row fingerprint.Row
		if err := d.Conn(ctx).Where("result_id = ?", r.ID).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.Fingerprint == before.Fingerprint || row.Exception != "KeyError" {
			t.Errorf("after the edit: %+v", row)
		}
		runs := run.NewService(d, project.NewStore(d), run.NewSummarizer(d, nil, quiet), quiet)
		theirs := f.theirs.String()
		if _, err := runs.Update(ctx, admin, f.late, run.UpdateRequest{ProjectID: &theirs}); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := d.Conn(ctx).Model(&fingerprint.Row{}).Where("run_id = ? AND project_id = ?", f.late, f.theirs).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("%d of the moved run's 4 fingerprints are in its new project", n)
		}
	})
}

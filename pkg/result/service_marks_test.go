package result_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/quarantine"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// markedPage is a project with two runs whose results carry every marker
// the views add: a failure whose fingerprint the project saw before (known,
// with a suggestion), a new one whose test is quarantined, a passed result
// of a flaky test (evidence in the second run), and a classified error.
type markedPage struct {
	quarantine *quarantine.Service
	flaky      *flaky.Service
	results    []model.Result // the second run's, in the order rendered
	runs       []model.Run
}

func seedMarkedPage(t *testing.T, d *db.DB) markedPage {
	t.Helper()
	ctx := context.Background()
	id := func(s string) uuid.UUID { return uuid.MustParse("00000000-0000-4000-8000-" + s) }
	at := func(minute int) time.Time { return time.Date(2026, 1, 2, 3, minute, 0, 0, time.UTC) }
	owner := &model.User{ID: id("000000000001"), Email: "owner@example.com", IsActive: true}
	pid, r1, r2 := id("0000000000a0"), id("0000000000b1"), id("0000000000b2")
	res := func(n string, runID uuid.UUID, testID, outcome string, minute int, data model.JSON) model.Result {
		return model.Result{ID: id(n), ProjectID: &pid, RunID: &runID, TestID: &testID, Result: &outcome,
			StartTime: at(minute), Data: data, Params: model.JSON{}}
	}
	earlier := res("0000000000c0", r1, "t.a", "failed", 1, model.JSON{"classification": "product_bug"})
	page := []model.Result{
		res("0000000000c1", r2, "t.a", "failed", 10, model.JSON{}),
		res("0000000000c2", r2, "t.q1", "failed", 11, model.JSON{}),
		res("0000000000c3", r2, "t.flaky", "passed", 12, model.JSON{}),
		res("0000000000c4", r2, "t.b", "error", 13, model.JSON{"classification": "environment_failure"}),
	}
	runs := []model.Run{
		{ID: r1, ProjectID: &pid, Created: at(0), StartTime: at(0), Data: model.JSON{}, Summary: model.JSON{}},
		{ID: r2, ProjectID: &pid, Created: at(9), StartTime: at(9), Data: model.JSON{}, Summary: model.JSON{}},
	}
	testdb.Insert(t, d, owner, &model.Project{ID: pid, Name: model.Ptr("p"), OwnerID: &owner.ID},
		&model.UserProject{UserID: owner.ID, ProjectID: pid}, &runs[0], &runs[1], &earlier)
	for i := range page {
		testdb.Insert(t, d, &page[i])
	}
	fp := func(r model.Result, fingerprintOf string) *fingerprint.Row {
		return &fingerprint.Row{ResultID: r.ID, ProjectID: r.ProjectID, RunID: r.RunID, Fingerprint: fingerprintOf, StartTime: r.StartTime}
	}
	testdb.Insert(t, d, fp(earlier, "fpA"), fp(page[0], "fpA"), fp(page[1], "fpB"), fp(page[3], "fpA"))
	conn := d.Conn(ctx)
	for _, c := range [][2]any{{earlier.ID, "product_bug"}, {page[3].ID, "environment_failure"}} {
		if err := conn.Exec(`INSERT INTO ibutsu_fingerprint_classifications (result_id, project_id, fingerprint, classification)
			VALUES (?, ?, 'fpA', ?)`, c[0], pid, c[1]).Error; err != nil {
			t.Fatal(err)
		}
	}
	finished := at(5).Add(123456 * time.Microsecond)
	if err := conn.Exec(`INSERT INTO ibutsu_run_state (run_id, state, last_activity, finished_at, finished_by)
		VALUES (?, 'running', ?, NULL, NULL), (?, 'finished', ?, ?, 'client')`, r2, at(13), r1, finished, finished).Error; err != nil {
		t.Fatal(err)
	}
	flakyID := id("0000000000d0")
	testdb.Insert(t, d,
		&flaky.TestRow{ID: flakyID, ProjectID: pid, TestID: "t.flaky", Job: "nightly", Runs: 2,
			FirstFlake: at(1), LastFlake: at(12), DetectedAt: at(14), UpdatedAt: at(14)},
		&flaky.EvidenceRow{FlakyID: flakyID, ResultID: page[2].ID, RunID: &r2, Kind: "flip", Outcome: "passed", StartTime: at(12)})
	projects := project.NewStore(d)
	q := quarantine.NewService(d, projects)
	// t.flaky matches too, but a passed result is no quarantined failure.
	for _, p := range []string{"t.q*", "t.flaky"} {
		if _, err := q.Create(ctx, owner, pid, quarantine.CreateRequest{Pattern: model.Ptr(p), Reason: model.Ptr("r")}); err != nil {
			t.Fatal(err)
		}
	}
	return markedPage{quarantine: q, flaky: flaky.NewService(d, projects, slog.New(slog.NewTextHandler(io.Discard, nil))),
		results: page, runs: runs}
}

// checkRender renders a page, counting its statements: the views' JSON must
// be want (what the code before the fold answered) and one statement must
// have read every marker.
func checkRender(t *testing.T, statements *atomic.Int64, want string, render func() (any, error)) {
	t.Helper()
	statements.Store(0)
	views, err := render()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("statements for the page: %d", statements.Load())
	b, err := json.Marshal(views)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Errorf("views\n got %s\nwant %s", b, want)
	}
	if n := statements.Load(); n != 1 {
		t.Errorf("%d statements for one page, want 1", n)
	}
}

// Rendering a page of results adds the triage, quarantine and flaky
// markers with one statement for the whole page (five before they were
// folded: three fingerprint reads, the quarantine entries, the flaky
// tests), and the JSON is what it was.
func TestRenderResultsMarksInOneStatement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		page := seedMarkedPage(t, d)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := result.NewService(d, project.NewStore(d), nil, log,
			result.WithQuarantine(page.quarantine), result.WithFlakyMarks(page.flaky))
		defer svc.Close()
		statements := testdb.Statements(t, d)
		checkRender(t, statements, wantResultViews, func() (any, error) { return svc.Render(ctx, page.results) })
		statements.Store(0)
		one, err := svc.RenderOne(ctx, &page.results[1])
		if err != nil || !one.Quarantined || one.FailureCluster == nil || statements.Load() != 1 {
			t.Errorf("one result: %+v, %v, %d statements", one, err, statements.Load())
		}
		statements.Store(0)
		if vs, err := svc.Render(ctx, nil); err != nil || len(vs) != 0 || statements.Load() != 0 {
			t.Errorf("empty page: %v, %v, %d statements", vs, err, statements.Load())
		}
	})
}

// Rendering a page of runs adds the live state, the quarantine count and
// the flaky marker with one statement for the page (four before: the
// states, the projects with entries, the quarantine counts, the flaky
// counts), and the JSON is what it was.
func TestRenderRunsMarksInOneStatement(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		page := seedMarkedPage(t, d)
		svc := run.NewService(d, project.NewStore(d), nil, slog.New(slog.NewTextHandler(io.Discard, nil)),
			run.WithQuarantine(page.quarantine), run.WithFlakyMarks(page.flaky))
		checkRender(t, testdb.Statements(t, d), wantRunViews, func() (any, error) { return svc.Render(ctx, page.runs) })
	})
}

const wantResultViews = `[{"id":"00000000-0000-4000-8000-0000000000c1","test_id":"t.a","result":"failed","duration":null,"start_time":"2026-01-02T03:10:00Z","component":null,"env":null,"run_id":"00000000-0000-4000-8000-0000000000b2","project_id":"00000000-0000-4000-8000-0000000000a0","source":null,"metadata":{},"params":{},"quarantined":false,"failure_cluster":{"fingerprint":"fpA","status":"known"},"suggested_classification":{"classification":"environment_failure","fingerprint":"fpA","based_on":1}},{"id":"00000000-0000-4000-8000-0000000000c2","test_id":"t.q1","result":"failed","duration":null,"start_time":"2026-01-02T03:11:00Z","component":null,"env":null,"run_id":"00000000-0000-4000-8000-0000000000b2","project_id":"00000000-0000-4000-8000-0000000000a0","source":null,"metadata":{},"params":{},"quarantined":true,"failure_cluster":{"fingerprint":"fpB","status":"new"}},{"id":"00000000-0000-4000-8000-0000000000c3","test_id":"t.flaky","result":"passed","duration":null,"start_time":"2026-01-02T03:12:00Z","component":null,"env":null,"run_id":"00000000-0000-4000-8000-0000000000b2","project_id":"00000000-0000-4000-8000-0000000000a0","source":null,"metadata":{},"params":{},"quarantined":false,"flaky":true},{"id":"00000000-0000-4000-8000-0000000000c4","test_id":"t.b","result":"error","duration":null,"start_time":"2026-01-02T03:13:00Z","component":null,"env":null,"run_id":"00000000-0000-4000-8000-0000000000b2","project_id":"00000000-0000-4000-8000-0000000000a0","source":null,"metadata":{"classification":"environment_failure"},"params":{},"quarantined":false,"failure_cluster":{"fingerprint":"fpA","status":"known"}}]`

const wantRunViews = `[{"id":"00000000-0000-4000-8000-0000000000b1","created":"2026-01-02T03:00:00Z","start_time":"2026-01-02T03:00:00Z","duration":null,"source":null,"component":null,"env":null,"project_id":"00000000-0000-4000-8000-0000000000a0","metadata":{},"summary":{},"quarantined":0,"state":"finished","finished_at":"2026-01-02T03:05:00.123456Z","finished_by":"client"},{"id":"00000000-0000-4000-8000-0000000000b2","created":"2026-01-02T03:09:00Z","start_time":"2026-01-02T03:09:00Z","duration":null,"source":null,"component":null,"env":null,"project_id":"00000000-0000-4000-8000-0000000000a0","metadata":{},"summary":{},"quarantined":1,"state":"running","finished_at":null,"finished_by":null,"flaky":{"tests":1}}]`

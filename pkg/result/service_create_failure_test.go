package result_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/jsontest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// POST /result of a failure reads its triage marks before its insert, for
// the fingerprint the insert writes, in the statement that checks its run
// (fingerprint.PendingAnnotationLookups): on PostgreSQL one statement
// through GORM beside the folded insert (which runs on database/sql),
// where the marks used to be read by a second statement after the insert.
// Its answer is still exactly what RenderOne renders from the stored row,
// through every case of the marks: a new fingerprint, a known one, one
// first seen earlier in the same run (new, the run's first time decides),
// a suggestion, a classified failure, no run, the automatic rule, an error
// without a traceback.
func TestCreateViewOfAFailureIsItsStoredRender(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		owner := &model.User{ID: uuid.New(), Email: "owner@example.com", IsActive: true}
		pid, r1, r2 := uuid.New(), uuid.New(), uuid.New()
		testdb.Insert(t, d, owner, &model.Project{ID: pid, Name: model.Ptr("p-" + pid.String()[:8]), OwnerID: &owner.ID},
			&model.UserProject{UserID: owner.ID, ProjectID: pid},
			&model.Run{ID: r1, ProjectID: &pid, Data: model.JSON{}, Summary: model.JSON{}},
			&model.Run{ID: r2, ProjectID: &pid, Data: model.JSON{}, Summary: model.JSON{}})
		svc := quietService(d)
		defer svc.Close()
		statements := testdb.Statements(t, d)
		const tb = "E   ConnectionError: request 1234 timed out\n\ntests/test_api.py:12: ConnectionError"
		post := func(name, outcome string, runID *uuid.UUID, start string, md model.JSON) result.View {
			t.Helper()
			md["project"] = pid.String()
			if runID != nil {
				md["run"] = runID.String()
			}
			statements.Store(0)
			v, err := svc.CreateView(ctx, owner, result.CreateRequest{TestID: model.Ptr("t." + name), Result: model.Ptr(outcome),
				StartTime: model.Ptr(start), Metadata: md})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			n := statements.Load()
			want := storedRender(ctx, t, svc, v)
			if got, w := jsontest.String(t, v), jsontest.String(t, want); got != w {
				t.Errorf("%s: answer\n got %s\nwant %s (the stored row's render)", name, got, w)
			}
			if d.Dialect == db.Postgres && outcome != "passed" && n != 1 {
				t.Errorf("%s: %d statements through GORM, want 1 (run and marks; the insert is folded)", name, n)
			}
			return v
		}
		status := func(name string, v result.View, want string) {
			t.Helper()
			if v.FailureCluster == nil || v.FailureCluster.Status != want {
				t.Errorf("%s: cluster %+v, want %s", name, v.FailureCluster, want)
			}
		}
		// A first request fills the project caches (ResolveProject).
		post("warm", "passed", &r1, "2026-01-02T03:00:00", model.JSON{})

		status("first", post("first", "failed", &r1, "2026-01-02T03:10:00", model.JSON{"short_tb": tb}), "new")
		status("again in its run", post("again", "failed", &r1, "2026-01-02T03:11:00", model.JSON{"short_tb": tb}), "new")
		status("later run", post("later", "failed", &r2, "2026-01-02T03:20:00", model.JSON{"short_tb": tb}), "known")
		// Earlier than r1's first: r2's first time is now this one's, and
		// nothing of the project's came before it.
		status("earliest", post("earliest", "failed", &r2, "2026-01-02T03:05:00", model.JSON{"short_tb": tb}), "new")
		status("no run", post("norun", "failed", nil, "2026-01-02T03:30:00", model.JSON{"short_tb": tb}), "known")
		status("no run, earliest", post("norun-early", "failed", nil, "2026-01-02T02:00:00", model.JSON{"short_tb": tb}), "new")

		// Classified failures make a suggestion for the next unclassified one.
		post("classified", "failed", &r1, "2026-01-02T03:12:00", model.JSON{"short_tb": tb, "classification": "product_bug"})
		post("classified2", "error", &r2, "2026-01-02T03:21:00", model.JSON{"short_tb": tb, "classification": "product_bug"})
		post("other", "failed", &r2, "2026-01-02T03:22:00", model.JSON{"short_tb": tb, "classification": "test_failure"})
		v := post("suggested", "failed", &r2, "2026-01-02T03:23:00", model.JSON{"short_tb": tb})
		if s := v.SuggestedClassification; s == nil || s.Classification != "product_bug" || s.BasedOn != 2 {
			t.Errorf("suggestion %+v, want product_bug based on 2", s)
		}
		post("no traceback", "error", &r2, "2026-01-02T03:24:00", model.JSON{})
		post("another fingerprint", "failed", &r2, "2026-01-02T03:25:00", model.JSON{"short_tb": "E   KeyError: 'x'"})

		// The automatic rule classifies the failure: no suggestion shown.
		testdb.Insert(t, d, &fingerprint.SettingsRow{ProjectID: pid, AutoClassify: true})
		v = post("ruled", "failed", &r2, "2026-01-02T03:26:00", model.JSON{"short_tb": tb})
		if d.Dialect == db.Postgres && (fingerprint.Classification(v.Metadata) != "product_bug" || v.SuggestedClassification != nil) {
			t.Errorf("ruled: metadata %v, suggestion %+v; want product_bug and none", v.Metadata, v.SuggestedClassification)
		}
	})
}

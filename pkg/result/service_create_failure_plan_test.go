package result_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// The known test of a failure about to be written reads the run's first
// time of its fingerprint as one index entry, however many failures of it
// the run holds. Written as MIN(start_time) with parameters, PostgreSQL
// planned an aggregate over all of them here (2,000 failures of one
// fingerprint over 20 runs, as POST /api/result writes them: 57 buffers
// for the run's 100, against 8).
func TestPendingMarksReadOneEntryOfTheRun(t *testing.T) {
	d := testdb.Both(t)["postgres"]
	ctx := context.Background()
	owner := &model.User{ID: uuid.New(), Email: "owner@example.com", IsActive: true}
	pid := uuid.New()
	testdb.Insert(t, d, owner, &model.Project{ID: pid, Name: model.Ptr("p"), OwnerID: &owner.ID},
		&model.UserProject{UserID: owner.ID, ProjectID: pid})
	runs := make([]uuid.UUID, 20)
	for i := range runs {
		runs[i] = uuid.New()
		testdb.Insert(t, d, &model.Run{ID: runs[i], ProjectID: &pid, Data: model.JSON{}, Summary: model.JSON{}})
	}
	svc := result.NewService(d, project.NewStore(d), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer svc.Close()
	var last *model.Result
	for i := 0; i < 2000; i++ {
		md := map[string]any{"project": pid.String(), "run": runs[i%len(runs)].String(),
			"short_tb": fmt.Sprintf("E   ConnectionError: request %s timed out\n\ntests/test_api.py:12: ConnectionError", uuid.NewString())}
		r, err := svc.Create(ctx, owner, result.CreateRequest{TestID: model.Ptr(fmt.Sprintf("t.%d", i)), Result: model.Ptr("failed"), Metadata: md})
		if err != nil {
			t.Fatal(err)
		}
		last = r
	}
	row, _ := fingerprint.Of(last)
	row.ResultID = uuid.New()
	sql, args := db.LookupsSQL(fingerprint.PendingAnnotationLookups(row, false, map[uuid.UUID]*fingerprint.Annotation{}))
	var plan []byte
	if err := d.Conn(ctx).Raw("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+sql, args...).Row().Scan(&plan); err != nil {
		t.Fatal(err)
	}
	var p []struct {
		Plan struct {
			Hit  int `json:"Shared Hit Blocks"`
			Read int `json:"Shared Read Blocks"`
		}
	}
	if err := json.Unmarshal(plan, &p); err != nil || len(p) != 1 {
		t.Fatalf("plan %s: %v", plan, err)
	}
	if n := p[0].Plan.Hit + p[0].Plan.Read; n > 15 {
		t.Errorf("the known test read %d buffers, want a few index pages\n%s", n, plan)
	}
}

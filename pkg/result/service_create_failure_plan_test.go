package result_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
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
	fp := seedFailureProject(t, d, "p", 20)
	svc := quietService(d)
	defer svc.Close()
	var last *model.Result
	for i := 0; i < 2000; i++ {
		r, err := svc.Create(ctx, fp.owner, result.CreateRequest{TestID: model.Ptr(fmt.Sprintf("t.%d", i)), Result: model.Ptr("failed"), Metadata: fp.failureMetadata(i)})
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

package fingerprint

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A batch with a row whose run is in another project than the row (the
// run moved after the caller's check) is refused whole with ErrRunMoved
// and writes nothing, on both databases: on PostgreSQL by the folded
// statement, on SQLite by WithResults' read in its transaction. Passed
// rows alone (on SQLite they used to be the plain insert, unchecked) and
// with a failure; rows whose project is their run's, or without a run,
// are written.
func TestInsertResultsRefusesARowOfAMovedRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := testdb.NewTenants(t, d)
		now := time.Now().UTC().Truncate(time.Second)
		mine, theirs := uuid.New(), uuid.New()
		testdb.Insert(t, d, &model.Run{ID: mine, ProjectID: &ts.Mine, StartTime: now, Created: now},
			&model.Run{ID: theirs, ProjectID: &ts.Theirs, StartTime: now, Created: now})
		tables := []string{"results", "ibutsu_result_fingerprints", "ibutsu_fingerprint_classifications", "ibutsu_classification_history"}
		count := func() []int64 {
			var out []int64
			for _, table := range tables {
				out = append(out, testdb.Count(t, d, table, "1 = 1"))
			}
			return out
		}
		row := func(run *uuid.UUID, failed bool) *model.Result {
			r := &model.Result{ID: uuid.New(), ProjectID: &ts.Mine, RunID: run, Result: model.Ptr("passed"), StartTime: now, Data: model.JSON{}}
			if failed {
				r.Result, r.Data["short_tb"] = model.Ptr("failed"), "E   assert 1 == 2\n\ntests/test_math.py:1: AssertionError"
			}
			return r
		}
		insert := func(rs []*model.Result) error {
			return InsertResults(ctx, d, rs, func(ctx context.Context) error { return d.Conn(ctx).Create(rs).Error })
		}
		before := count()
		for name, rs := range map[string][]*model.Result{
			"passed":      {row(&mine, false), row(&theirs, false), row(nil, false)},
			"with failed": {row(&mine, true), row(&theirs, false)},
			"failed":      {row(&theirs, true)},
		} {
			if err := insert(rs); !errors.Is(err, ErrRunMoved) {
				t.Errorf("%s: %v, want ErrRunMoved", name, err)
			}
		}
		if after := count(); !slices.Equal(before, after) {
			t.Fatalf("rows of %v: %v after refused batches, %v before", tables, after, before)
		}
		if err := insert([]*model.Result{row(&mine, false), row(&mine, true), row(nil, false)}); err != nil {
			t.Fatalf("a batch in its runs' project: %v", err)
		}
		if n := testdb.Count(t, d, "results", "1 = 1"); n != before[0]+3 {
			t.Errorf("%d results, want %d", n, before[0]+3)
		}
	})
}

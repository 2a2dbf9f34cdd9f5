package result

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A batch in which one row's run is (now) in another project than the row
// writes the others and refuses only that row (fingerprint.ErrRunMoved):
// the statement refuses the whole batch, and the retry one by one gives
// each request its own answer. TestCreateIntoARunBeingMoved races the move.
func TestBatchWithARunMovedRefusesOnlyThatRow(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ts := testdb.NewTenants(t, d)
		stays, moved := uuid.New(), uuid.New()
		testdb.Insert(t, d, &model.Run{ID: stays, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}},
			&model.Run{ID: moved, ProjectID: &ts.Theirs, Data: model.JSON{}, Summary: model.JSON{}})
		b := newBatcher(d, 1, 4)
		defer b.close()
		batch := make([]*insertReq, 3)
		for i, run := range []uuid.UUID{stays, moved, stays} {
			r := &model.Result{ID: uuid.New(), ProjectID: &ts.Mine, RunID: &run, Result: model.Ptr("passed"), StartTime: time.Now().UTC()}
			batch[i] = &insertReq{r: r, done: make(chan error, 1), queued: time.Now()}
		}
		b.flush(batch)
		for i, req := range batch {
			err := <-req.done
			if want := i == 1; errors.Is(err, fingerprint.ErrRunMoved) != want || (!want && err != nil) {
				t.Errorf("row %d: %v (refused as moved: want %v)", i, err, want)
			}
		}
		if n := testdb.Count(t, d, "results", "run_id = ?", stays); n != 2 {
			t.Errorf("%d results in the run that stayed, want 2", n)
		}
		if n := testdb.Count(t, d, "results", "run_id = ?", moved); n != 0 {
			t.Errorf("%d results in the moved run, want 0", n)
		}
	})
}

package result

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/fingerprint"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestBatcherAnswersEachRequest sends many concurrent inserts, some of them
// invalid, through the batcher: good rows are committed, bad ones get their
// own error, and nothing else is affected. The same with every row a
// failure with a traceback, so every batch takes the folded statement
// (fingerprint.InsertResults): each stored failure has its fingerprint.
func TestBatcherAnswersEachRequest(t *testing.T) {
	for _, failed := range []bool{false, true} {
		t.Run(map[bool]string{false: "passed", true: "failed"}[failed], func(t *testing.T) { batcherAnswersEachRequest(t, failed) })
	}
}

func batcherAnswersEachRequest(t *testing.T, failed bool) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	d, err := db.Open(ctx, config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 8, MaxIdleConns: 8, ConnMaxLifetime: time.Minute, StatementTimeout: 25 * time.Second}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Migrate(ctx, log); err != nil {
		t.Fatal(err)
	}
	b := newBatcher(d, 2, 16)
	defer b.close()
	var written atomic.Int64 // AfterInsert calls
	b.written = func(context.Context) { written.Add(1) }

	dupID := uuid.New()
	if err := b.insert(ctx, &model.Result{ID: dupID, StartTime: time.Now().UTC()}, nil); err != nil {
		t.Fatal(err)
	}
	missingRun := uuid.New()
	const n = 300
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := &model.Result{ID: uuid.New(), StartTime: time.Now().UTC()}
			if failed {
				r.Result = model.Ptr("failed")
				r.Data = model.JSON{"short_tb": fmt.Sprintf("E   assert %d == 2\n\ntests/test_x.py:%d: AssertionError", i%3, i)}
			}
			switch i % 50 {
			case 7:
				r.ID = dupID
			case 13:
				r.RunID = &missingRun
			}
			errs[i] = b.insert(ctx, r, nil)
		}(i)
	}
	wg.Wait()
	bad := 0
	for i, err := range errs {
		switch i % 50 {
		case 7:
			if !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Errorf("row %d: want duplicate error, got %v", i, err)
			}
			bad++
		case 13:
			if !errors.Is(err, gorm.ErrForeignKeyViolated) {
				t.Errorf("row %d: want FK error, got %v", i, err)
			}
			bad++
		default:
			if err != nil {
				t.Errorf("row %d: %v", i, err)
			}
		}
	}
	var count int64
	d.Gorm.Model(&model.Result{}).Count(&count)
	if want := int64(n - bad + 1); count != want {
		t.Fatalf("%d rows stored, want %d", count, want)
	}
	var fps int64
	d.Gorm.Table("ibutsu_result_fingerprints").Count(&fps)
	if want := map[bool]int64{false: 0, true: int64(n - bad)}[failed]; fps != want {
		t.Fatalf("%d fingerprints stored, want %d", fps, want)
	}
	// The compaction trigger hears of each committed statement once: at
	// least one per batch of good rows, none for a failed row, and never
	// more than migration 20's sequence counted statements on results
	// (rolled-back ones included).
	var statements int64
	if err := d.Conn(ctx).Raw("SELECT last_value FROM ibutsu_count_deltas_seq").Scan(&statements).Error; err != nil {
		t.Fatal(err)
	}
	if w := written.Load(); w < 1 || w > int64(n-bad+1) || w > statements {
		t.Fatalf("AfterInsert heard of %d statements, want 1 to %d and at most the %d that ran", w, n-bad+1, statements)
	}
	b.close()
	if err := b.insert(ctx, &model.Result{ID: uuid.New(), StartTime: time.Now().UTC()}, nil); !errors.Is(err, errBatcherClosed) {
		t.Fatalf("insert after close: %v", err)
	}
}

// A batch in which one row's run is (now) in another project than the row
// writes the others and refuses only that row (fingerprint.ErrRunMoved):
// the statement (PostgreSQL) or the transaction (SQLite) refuses the whole
// batch, and the retry one by one gives each request its own answer.
// Passed rows, and the refused row a failure. TestCreateIntoARunBeingMoved
// and TestPostIntoARunMovedAfterItsCheck race the move.
func TestBatchWithARunMovedRefusesOnlyThatRow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ts := testdb.NewTenants(t, d)
		for _, outcome := range []string{"passed", "failed"} {
			t.Run(outcome, func(t *testing.T) { batchWithARunMoved(t, d, ts, outcome) })
		}
	})
}

func batchWithARunMoved(t *testing.T, d *db.DB, ts testdb.Tenants, outcome string) {
	stays, moved := uuid.New(), uuid.New()
	testdb.Insert(t, d, &model.Run{ID: stays, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}},
		&model.Run{ID: moved, ProjectID: &ts.Theirs, Data: model.JSON{}, Summary: model.JSON{}})
	b := newBatcher(d, 1, 4)
	defer b.close()
	batch := make([]*insertReq, 3)
	for i, run := range []uuid.UUID{stays, moved, stays} {
		r := &model.Result{ID: uuid.New(), ProjectID: &ts.Mine, RunID: &run, Result: model.Ptr("passed"), StartTime: time.Now().UTC(), Data: model.JSON{}}
		if run == moved && outcome == "failed" {
			r.Result, r.Data["short_tb"] = model.Ptr("failed"), "E   assert 1 == 2\n\ntests/test_math.py:1: AssertionError"
		}
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
}

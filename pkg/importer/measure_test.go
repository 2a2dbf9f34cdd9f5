package importer_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/backend/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// measureEnv enables the import measurements (they take minutes).
const measureEnv = "IBUTSU_IMPORT_MEASURE"

// TestImportThroughput100k measures a 100,000-test-case JUnit import on
// PostgreSQL from upload to done, and a raw pgx COPY of the very rows it
// wrote (results and artifacts, re-keyed into a fresh run) in the same
// database, and logs both and their ratio (the import's target is at least
// half of raw COPY's throughput). Run it with IBUTSU_IMPORT_MEASURE=1,
// without -race.
func TestImportThroughput100k(t *testing.T) {
	if os.Getenv(measureEnv) != "1" {
		t.Skip("set " + measureEnv + "=1 to measure (takes a few minutes)")
	}
	const n = 100000
	e := backendtest.New(t, backendtest.Options{})
	data := report(n)

	start := time.Now()
	r := upload(e, e.AdminToken, "big.xml", data, nil)
	if r.Code != 202 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	uploaded := time.Since(start)
	imp := waitImportFor(t, e, r.Map()["id"].(string), 10*time.Minute)
	took := time.Since(start)
	run := runOf(t, e, imp)
	results, artifacts := rowsOf(t, e, run.ID)
	if len(results) != n {
		t.Fatalf("%d results", len(results))
	}

	copyResults, copyAll := rawCopy(t, e.App.Config.Database.URL, results, artifacts)
	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	t.Logf("JUnit import of %d test cases (%d artifacts, %.1f MB): upload %s (202), upload→done %s = %.0f cases/s",
		n, len(artifacts), float64(len(data))/1e6, uploaded.Round(time.Millisecond), took.Round(time.Millisecond), rate(took))
	t.Logf("raw pgx COPY of the same rows: results only %s = %.0f rows/s; results+artifacts %s = %.0f cases/s",
		copyResults.Round(time.Millisecond), rate(copyResults), copyAll.Round(time.Millisecond), rate(copyAll))
	t.Logf("import throughput / raw COPY throughput: %.0f%% (results+artifacts), %.0f%% (results only)",
		100*copyAll.Seconds()/took.Seconds(), 100*copyResults.Seconds()/took.Seconds())
}

// waitImportFor is waitImport with a longer deadline.
func waitImportFor(t testing.TB, e *backendtest.Env, id string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var imp model.Import
		if err := e.App.DB.Gorm.Where("id = ?", id).Take(&imp).Error; err != nil {
			t.Fatal(err)
		}
		if st := str(imp.Status); st == "done" || st == "error" {
			return waitImport(t, e, id)
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s not finished after %s", id, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func rowsOf(t testing.TB, e *backendtest.Env, runID uuid.UUID) ([]model.Result, []model.Artifact) {
	t.Helper()
	var rs []model.Result
	if err := e.App.DB.Gorm.Where("run_id = ?", runID).Find(&rs).Error; err != nil {
		t.Fatal(err)
	}
	var as []model.Artifact
	if err := e.App.DB.Gorm.Where("result_id IN (SELECT id FROM results WHERE run_id = ?)", runID).Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	return rs, as
}

// rawCopy re-keys the rows into a new run and COPYs them in one
// transaction with a plain pgx connection, rows prepared in memory
// beforehand: the fastest way PostgreSQL takes them. It returns the time of
// the results COPY alone and of the whole transaction.
func rawCopy(t testing.TB, dsn string, results []model.Result, artifacts []model.Artifact) (time.Duration, time.Duration) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	runID := uuid.New()
	now := time.Now().UTC()
	if _, err := conn.Exec(ctx, "INSERT INTO runs (id, created, start_time, data, summary) VALUES ($1, $2, $2, '{}', '{}')", runID, now); err != nil {
		t.Fatal(err)
	}
	newID := make(map[uuid.UUID]uuid.UUID, len(results))
	resRows := make([][]any, len(results))
	for i, r := range results {
		id := uuid.New()
		newID[r.ID] = id
		data, _ := r.Data.Value()
		params, _ := r.Params.Value()
		resRows[i] = []any{id, r.ProjectID, runID, r.TestID, r.Result, data, params, r.Duration, r.StartTime, r.Source, r.Env, r.Component}
	}
	artRows := make([][]any, len(artifacts))
	for i, a := range artifacts {
		data, _ := a.Data.Value()
		rid := newID[*a.ResultID]
		artRows[i] = []any{uuid.New(), a.Content, rid, nil, a.Filename, data, a.UploadDate}
	}
	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"results"}, []string{"id", "project_id", "run_id", "test_id", "result", "data", "params", "duration", "start_time", "source", "env", "component"}, pgx.CopyFromRows(resRows)); err != nil {
		t.Fatal(err)
	}
	resultsOnly := time.Since(start)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"artifacts"}, []string{"id", "content", "result_id", "run_id", "filename", "data", "upload_date"}, pgx.CopyFromRows(artRows)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return resultsOnly, time.Since(start)
}

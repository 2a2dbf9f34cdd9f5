package importer_test

import (
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// workerArchive is one CI worker's archive of run runID: run.json with a
// metadata key of its own, and one result.
func workerArchive(t *testing.T, runID string, worker int) []byte {
	res := fmt.Sprintf("%s-0000-4000-8000-%012d", runID[:8], worker)
	return backendtest.TarGz(t,
		[2]string{runID + "/run.json", fmt.Sprintf(`{"id":%q,"metadata":{"project":"my-project","worker_%d":"yes"}}`, runID, worker)},
		[2]string{runID + "/" + res + "/result.json", fmt.Sprintf(`{"id":%q,"result":"passed","test_id":"test_%d","duration":1,"start_time":"2024-06-01T12:00:00+00:00"}`, res, worker)},
	)
}

// Archives of one run imported together (each CI worker uploads its own)
// all end done, into one run that holds every worker's metadata key and
// result: none drops another's keys. Then more archives of the now
// existing run and PUT /run metadata merges together: every key stays.
func TestArchivesOfOneRunImportedTogether(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	e.CreateProject("my-project", e.Admin)
	testdb.WarmPool(t, e.App.DB, 4)
	const workers = 4
	for round := range 5 {
		runID := fmt.Sprintf("%08d-1111-4111-8111-111111111111", round)
		importTogether(t, e, runID, 0, workers, 0)
		checkRun(t, e, runID, workers, workers)
		importTogether(t, e, runID, workers, workers, workers)
		checkRun(t, e, runID, 2*workers, 3*workers)
	}
}

// importTogether uploads the archives of workers first … first+n-1 of run
// runID and sends puts PUT /run metadata merges (put_0 …), all at once,
// and waits for every import to end done.
func importTogether(t *testing.T, e *backendtest.Env, runID string, first, n, puts int) {
	t.Helper()
	archives := make([][]byte, n)
	for i := range archives {
		archives[i] = workerArchive(t, runID, first+i)
	}
	ids := make([]string, n)
	errs := testdb.Together(n+puts, func(i int) error {
		if i >= n {
			r := e.Do("PUT", "/api/run/"+runID, fmt.Sprintf(`{"metadata":{"put_%d":"yes"}}`, i-n), e.AdminToken)
			if r.Code != 200 {
				return fmt.Errorf("put: %d %s", r.Code, r.Body)
			}
			return nil
		}
		r := upload(e, e.AdminToken, fmt.Sprintf("worker-%d.tar.gz", first+i), archives[i], nil)
		if r.Code != 202 {
			return fmt.Errorf("upload: %d %s", r.Code, r.Body)
		}
		ids[i] = r.Map()["id"].(string)
		return nil
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	for i, id := range ids {
		if imp := waitImport(t, e, id); imp["status"] != "done" {
			t.Fatalf("worker %d's import: %v", first+i, imp["metadata"])
		}
	}
}

// checkRun: run runID is stored once with results results and keys
// metadata keys from workers and PUTs.
func checkRun(t *testing.T, e *backendtest.Env, runID string, results, keys int64) {
	t.Helper()
	if n := testdb.Count(t, e.App.DB, "runs", "id = ?", runID); n != 1 {
		t.Fatalf("run %s: %d rows", runID, n)
	}
	if n := testdb.Count(t, e.App.DB, "results", "run_id = ?", runID); n != results {
		t.Fatalf("run %s: %d results, want %d", runID, n, results)
	}
	var got int64
	if err := e.App.DB.Gorm.Raw("SELECT count(*) FROM runs, jsonb_object_keys(data) k WHERE id = ? AND (k LIKE 'worker_%' OR k LIKE 'put_%')", runID).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got != keys {
		t.Fatalf("run %s holds %d of the %d metadata keys sent", runID, got, keys)
	}
}

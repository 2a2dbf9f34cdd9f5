package testdb

import (
	"context"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// triageOrphans counts the triage rows whose result (or, for a
// classification, whose fingerprint row) is gone: on PostgreSQL nothing
// but statement triggers and the writers' row locks keeps these at zero
// (migrations 00027 and 00028 dropped the foreign keys), so one query over
// all three tables is the check a test runs after every write and delete.
const triageOrphans = `SELECT
	(SELECT count(*) FROM ibutsu_result_fingerprints f
	  WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = f.result_id))
	+ (SELECT count(*) FROM ibutsu_fingerprint_classifications c
	  WHERE NOT EXISTS (SELECT 1 FROM ibutsu_result_fingerprints f WHERE f.result_id = c.result_id))
	+ (SELECT count(*) FROM ibutsu_classification_history h
	  WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = h.result_id))`

// TriageOrphans returns how many fingerprint, classification and audit
// rows name a result or fingerprint that no longer exists.
func TriageOrphans(t testing.TB, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.SQL.QueryRowContext(context.Background(), triageOrphans).Scan(&n); err != nil {
		t.Fatalf("count triage orphans: %v", err)
	}
	return n
}

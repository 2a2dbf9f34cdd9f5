package resilience

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
)

// Verdict is what VerifyResults found.
type Verdict struct {
	Accepted int // results acknowledged with a 2xx
	Stored   int // result rows in the database
	Lost     int // acknowledged but missing
	// Broken lists rows that differ from what was posted (half-written).
	Broken []string
}

// VerifyResults compares the acknowledged results with the results table of
// the database at dsn: every acknowledged result must be there, and every
// row there (acknowledged or not: a client may have lost the answer to a
// committed insert) must hold exactly what its client posted.
func VerifyResults(t testing.TB, dsn string, accepted map[uuid.UUID]Sent) Verdict {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	rows, err := db.QueryContext(ctx, `SELECT id, coalesce(test_id, ''), coalesce(result, ''), coalesce(duration, -1),
		coalesce((data->>'client')::int, -1), coalesce((data->>'seq')::int, -1), project_id IS NOT NULL,
		coalesce(env, ''), coalesce(params->>'seq', '') FROM results`)
	if err != nil {
		t.Fatalf("read results: %v", err)
	}
	defer rows.Close()
	v := Verdict{Accepted: len(accepted)}
	seen := map[uuid.UUID]bool{}
	for rows.Next() {
		var id uuid.UUID
		var got Sent
		var hasProject bool
		var env, pseq string
		if err := rows.Scan(&id, &got.TestID, &got.Result, &got.Duration, &got.Client, &got.Seq, &hasProject, &env, &pseq); err != nil {
			t.Fatalf("scan result: %v", err)
		}
		v.Stored++
		seen[id] = true
		want, ok := accepted[id]
		if !ok {
			// Committed, but the client never heard back: it must still be
			// whole (a row of the generator's own shape).
			want = expected(got.Client, got.Seq)
		}
		if got != want || !hasProject || env != "resilience" || pseq != fmt.Sprint(want.Seq) {
			v.Broken = append(v.Broken, fmt.Sprintf("%s: got %+v project=%v env=%q params.seq=%q, want %+v", id, got, hasProject, env, pseq, want))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read results: %v", err)
	}
	for id := range accepted {
		if !seen[id] {
			v.Lost++
		}
	}
	return v
}

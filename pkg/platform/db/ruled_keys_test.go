package db

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pressly/goose/v3"
)

// migrateDownTo rolls d back to version with the migrations' Down parts.
func migrateDownTo(t *testing.T, d *DB, version int64) {
	t.Helper()
	withProvider(t, d, func(p *goose.Provider) error {
		_, err := p.DownTo(context.Background(), version)
		return err
	})
}

// TestRuledRowKeysDownAndUp: migration 28's Down gives back exactly the
// schema 27 built (the two foreign keys of 00013, none of 28's triggers or
// functions), after removing the classification and audit rows left
// without their fingerprint or result, which the keys' validation would
// refuse; migrating again builds the schema of a fresh migrate. On SQLite,
// where 28 changes nothing, both directions run.
func TestRuledRowKeysDownAndUp(t *testing.T) {
	ctx := context.Background()
	at27 := openPG(t)
	migrateUpTo(t, at27, 27)
	want27 := describe(t, at27)
	d := openPG(t)
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	latest := describe(t, d)
	// Possible only without the keys.
	if _, err := d.SQL.Exec(`INSERT INTO ibutsu_fingerprint_classifications (result_id, fingerprint, classification) VALUES ($1, 'f', 'c')`,
		uuid.New()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL.Exec(`INSERT INTO ibutsu_classification_history (id, result_id, new_value, changed_at) VALUES ($1, $2, 'c', $3)`,
		uuid.New(), uuid.New(), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	migrateDownTo(t, d, 27)
	sameSchema(t, "down to 27", describe(t, d), want27)
	var left int
	if err := d.SQL.QueryRow(`SELECT (SELECT count(*) FROM ibutsu_fingerprint_classifications)
		+ (SELECT count(*) FROM ibutsu_classification_history)`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d rows left without what they name (%v)", left, err)
	}
	if err := d.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	sameSchema(t, "up again", describe(t, d), latest)

	s := openTestSQLite(t)
	if err := s.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
	migrateDownTo(t, s, 27)
	if err := s.Migrate(ctx, quiet()); err != nil {
		t.Fatal(err)
	}
}
